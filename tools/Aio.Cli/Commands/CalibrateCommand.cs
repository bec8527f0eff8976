using System.CommandLine;
using System.Globalization;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation.Calibration;
using AscendAio.Router;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;
using AscendAio.Tasks;
using AscendAio.Tasks.Formats;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio calibrate [--config FILE] [--small DIR] [--large DIR] [--data DIR] [--seed N] [--limit 500] [--holdout 300] [--test N]
/// [--objective throughput|accuracy] [--accuracy-floor A | --accuracy-margin M] [--tps-floor T] [--policy BASE.json]
/// [--out POLICY.json] [--samples-out F | --samples-in F] [--max-new-tokens N] [--repetitions 6] [--adaptive] [--json F]`:
/// measures the calibration split on the configured pair and writes the calibrated policy; the library
/// (tools/Evaluation/Calibration) measures, decides and replays, this command parses, calls and renders.
/// </summary>
internal sealed class CalibrateCommand : IDeclaredCommand
{
    private const int DefaultLimit = 500, DefaultHoldout = 300, DefaultRepetitions = 6;

    private static readonly Option<string?> Data = new("--data") { Description = "read the splits from DATA/<family>/<split>.jsonl instead of generating them", HelpName = "DIR" };

    private static readonly Option<int?> Holdout = OptionRules.Range(new Option<int?>("--holdout")
    {
        Description = "held-out probe requests for the probe's confusion matrix",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultHoldout,
    }, 0, int.MaxValue);

    private static readonly Option<int?> Test = OptionRules.Range(new Option<int?>("--test")
    {
        Description = "also run N test requests end to end through the router (calibrated policy, oracle, static-large)",
        HelpName = "N",
        DefaultValueFactory = _ => 0,
    }, 0, int.MaxValue);

    private static readonly Option<string> Objective = OptionRules.OneOf(new Option<string>("--objective")
    {
        Description = "what τ maximises: throughput (tokens/s at an accuracy floor) or accuracy (at a tokens/s floor)",
        DefaultValueFactory = _ => "throughput",
    }, "'throughput' or 'accuracy'", "throughput", "accuracy");

    private static readonly Option<double?> AccuracyFloor = Number("--accuracy-floor", "A", 0, 1, "throughput objective: the accuracy floor (default: static-large's replayed accuracy minus --accuracy-margin)");

    private static readonly Option<double?> AccuracyMargin = Number("--accuracy-margin", "M", 0, 1, "throughput objective: how far below static-large's accuracy the floor lies (default 0.01)");

    private static readonly Option<double?> TpsFloor = Number("--tps-floor", "T", 0, double.MaxValue, "accuracy objective: the tokens/s floor (default: static-large's replayed tokens/s)");

    private static readonly Option<string?> BasePolicy = new("--policy") { Description = "the policy file to calibrate (rules, PLD settings, probe); default: the paper's rules", HelpName = "FILE" };

    private static readonly Option<string> Out = new("--out")
    {
        Description = "where to write the calibrated policy",
        HelpName = "FILE",
        DefaultValueFactory = _ => Path.Combine("artifacts", "calibration", "aio.json"),
    };

    private static readonly Option<string?> SamplesOut = new("--samples-out") { Description = "also save the measured samples (JSON lines)", HelpName = "FILE" };

    private static readonly Option<string?> SamplesIn = new("--samples-in") { Description = "re-read samples saved by --samples-out instead of measuring", HelpName = "FILE" };

    private static readonly Option<int?> Repetitions = OptionRules.Range(new Option<int?>("--repetitions")
    {
        Description = "timed runs of every route per request, interleaved in a shuffled order (6 give the gain's interval 96.9 % coverage)",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultRepetitions,
    }, CalibrationSettings.MinimumRepetitions, int.MaxValue);

    private static readonly Option<bool> Adaptive = new("--adaptive") { Description = "also replay online PLD tracking with PLD on for every category" };

    public string Name => "calibrate";

    public string Summary => "calibrate the router's entropy threshold τ and PLD switch on the calibration split; writes the policy JSON";

    public void Declare(Command command)
    {
        Option[] options =
        [
            SharedOptions.Config, SharedOptions.SmallBundle, SharedOptions.LargeBundle, Data, SharedOptions.SuiteSeed, SharedOptions.Limit, Holdout, Test,
            Objective, AccuracyFloor, AccuracyMargin, TpsFloor, BasePolicy, Out, SamplesOut, SamplesIn, SharedOptions.MaxNewTokens, Repetitions,
            Adaptive, SharedOptions.Json,
        ];
        foreach (var option in options)
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            // Presence, not values: a value that failed to parse is reported by its option, and reading it here would throw.
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            var throughput = !Given(Objective) || result.GetValue(Objective) != "accuracy";
            if (Given(AccuracyFloor) && Given(AccuracyMargin))
                result.AddError("give --accuracy-floor or --accuracy-margin, not both");
            if (!throughput && (Given(AccuracyFloor) || Given(AccuracyMargin)))
                result.AddError("--accuracy-floor and --accuracy-margin are for --objective throughput");
            if (throughput && Given(TpsFloor))
                result.AddError("--tps-floor is for --objective accuracy");
        });
    }

    public int Run(ParseResult parse)
    {
        try
        {
            return Calibrate(parse);
        }
        catch (Exception e) when (e is RoutingException or TaskFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"aio calibrate: {e.Message}");
            return 1;
        }
    }

    private static int Calibrate(ParseResult parse)
    {
        var basePolicy = parse.GetValue(BasePolicy) is { } p ? PolicyFile.Load(p).Options : PolicyOptions.Default;
        var throughput = parse.GetValue(Objective) == "throughput";
        var settings = new CalibrationSettings
        {
            BasePolicy = basePolicy,
            Objective = throughput
                ? new ObjectiveChoice(ObjectiveKind.ThroughputAtAccuracyFloor, parse.GetValue(AccuracyFloor), parse.GetValue(AccuracyMargin) ?? 0.01)
                : new ObjectiveChoice(ObjectiveKind.AccuracyAtThroughputFloor, parse.GetValue(TpsFloor)),
            MaxNewTokens = parse.GetValue(SharedOptions.MaxNewTokens),
            Repetitions = parse.GetValue(Repetitions) ?? DefaultRepetitions,
            Adaptive = parse.GetValue(Adaptive),
        };
        var suites = CalibrationItems.Load(parse.GetValue(Data), parse.GetValue(SharedOptions.SuiteSeed));
        var samplesIn = parse.GetValue(SamplesIn);
        var calibration = CalibrationItems.Interleave(suites, Splits.Calibration, parse.GetValue(SharedOptions.Limit) ?? DefaultLimit);
        if (calibration.Count == 0 && samplesIn is null)
            throw new UsageException($"no {Splits.Calibration} items found");
        var holdout = CalibrationItems.ProbeHoldout(suites, parse.GetValue(Holdout) ?? DefaultHoldout);
        var test = parse.GetValue(Test) is > 0 and var n ? CalibrationItems.Interleave(suites, Splits.Test, n) : [];

        var pair = ConfiguredPair.Read(parse.GetValue(SharedOptions.Config), parse.GetValue(SharedOptions.SmallBundle), parse.GetValue(SharedOptions.LargeBundle));
        using var device = Device.Open();
        using var small = LoadModel(device, pair.Small);
        using var large = LoadModel(device, pair.Large);
        var study = new CalibrationStudy(new RouterModels { Small = small, Large = large }, settings);
        var scorer = new TaskScorer();

        List<CalibrationSample> samples;
        MeasurementSummary? measurement = null;
        if (samplesIn is not null)
        {
            samples = SampleFile.Load(samplesIn);
        }
        else
        {
            (samples, measurement) = study.Measure(calibration, scorer, (done, total) =>
            {
                if (done % 25 == 0 || done == total)
                    Console.Error.WriteLine($"  measured {done}/{total}");
            });
            if (parse.GetValue(SamplesOut) is { } samplesOut)
                SampleFile.Save(samplesOut, samples);
        }

        var report = study.Analyse(samples, measurement, holdout, test, scorer);
        var json = JsonOutput.Of(parse);
        if (json.Tables)
            Console.WriteLine(CalibrationReportText.Format(report));
        var output = parse.GetRequiredValue(Out);
        new PolicyFile(RoutingPolicies.Aio, report.Policy) { Calibration = CalibrationReportJson.PolicyRecord(report) }.Save(output);
        if (json.Tables)
            Console.WriteLine($"\nwrote {output}");
        if (json.Write(CalibrationReportJson.Report(report).ToJsonString(CalibrationReportJson.Indented)) is { } file)
            Console.WriteLine($"wrote {file}");
        return 0;
    }

    private static LanguageModel LoadModel(Device device, string directory)
    {
        if (!File.Exists(Path.Combine(directory, "bundle.json")))
            throw new UsageException($"no model bundle at '{directory}'; make one with `aio export --checkpoint models/<name> --out {directory}`");
        return LanguageModel.Load(device, ModelBundle.Load(directory), new LanguageModelOptions());
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] (no upper bound when it is double.MaxValue); anything else is a usage error naming the option.</summary>
    private static Option<double?> Number(string name, string helpName, double min, double max, string description) =>
        OptionRules.Between(new Option<double?>(name) { Description = description, HelpName = helpName }, min, max,
            max == double.MaxValue ? string.Create(CultureInfo.InvariantCulture, $"must be a number ≥ {min}, got '{{0}}'") : null);
}
