using System.Text.Json;
using System.CommandLine;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation;
using AscendAio.Tasks;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio eval --model NAME|BUNDLE_DIR --suite code|qa|math|long|probe [--split test|calibration] [--limit N] [--seed N]
/// [--bundles DIR] [--max-new-tokens N] [--items FILE] [--json [FILE]]`: one model on one held-out split (the test split by default; the calibration
/// split is the one to choose among training runs with, so the test stays untouched); prints accuracy and tokens/s
/// (probe: category accuracy, confusion matrix, probes/s).
/// <c>--items FILE</c> also writes every request's completion and verdict as JSON lines (generation suites).
/// </summary>
internal sealed class EvalCommand : IDeclaredCommand
{
    /// <summary>One object per line, completions readable (no escaping of &lt;, &gt; or quotes beyond JSON's own).</summary>
    private static readonly JsonSerializerOptions JsonLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Option<string> Model = new("--model")
    {
        Description = "a bundle directory, or a bundle's name under --bundles",
        HelpName = "NAME|DIR",
        Required = true,
    };

    private static readonly Option<string> Suite = OptionRules.OneOf(new Option<string>("--suite")
    {
        Description = "the task suite: code, qa, math, long or probe",
        Required = true,
    }, "one of code, qa, math, long, probe", [.. TaskFamilies.Generated, TaskFamilies.Probe]);

    private static readonly Option<string> Split = OptionRules.OneOf(new Option<string>("--split")
    {
        Description = "the held-out split: test, or calibration (to choose among training runs, leaving the test untouched)",
        DefaultValueFactory = _ => Splits.Test,
    }, "test or calibration", Splits.Test, Splits.Calibration);

    private static readonly Option<string?> Items = new("--items")
    {
        Description = "also write every request's completion and verdict as JSON lines (generation suites)",
        HelpName = "FILE",
    };

    public string Name => "eval";

    public string Summary => "accuracy and tokens/s of one model on one task suite (code, qa, math, long, probe)";

    public void Declare(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Suite);
        command.Options.Add(Split);
        command.Options.Add(SharedOptions.Limit);
        command.Options.Add(SharedOptions.SuiteSeed);
        command.Options.Add(SharedOptions.Bundles);
        command.Options.Add(SharedOptions.MaxNewTokens);
        command.Options.Add(Items);
        command.Options.Add(SharedOptions.Json);
        command.Validators.Add(result =>
        {
            var probe = result.GetValue(Suite) == TaskFamilies.Probe;
            if (probe && result.GetValue(Split) == Splits.Calibration)
                result.AddError("--split calibration: the probe suite has only a test split");
            if (probe && result.GetValue(Items) is not null)
                result.AddError("--items is for the generation suites (code, qa, math, long); the probe prints its confusion matrix");
        });
    }

    public int Run(ParseResult parse)
    {
        var suite = parse.GetRequiredValue(Suite);
        var split = parse.GetRequiredValue(Split);
        var modelArg = parse.GetRequiredValue(Model);
        var bundle = Directory.Exists(modelArg) ? modelArg : Path.Combine(parse.GetRequiredValue(SharedOptions.Bundles), modelArg);
        if (!File.Exists(Path.Combine(bundle, "bundle.json")))
            throw new UsageException($"--model: no bundle at '{bundle}' (give a bundle directory or a name under --bundles)");
        var itemsPath = parse.GetValue(Items);
        var options = new BenchOptions { MaxTokens = parse.GetValue(SharedOptions.MaxNewTokens) };
        var items = new SuiteGenerator(parse.GetValue(SharedOptions.SuiteSeed)).Generate(suite, split);
        if (parse.GetValue(SharedOptions.Limit) is { } limit)
            items = items.Take(limit).ToList();

        using var itemsFile = itemsPath is null ? null : OpenItemsFile(itemsPath);
        using var device = Device.Open();
        using var model = LanguageModel.Load(device, ModelBundle.Load(bundle), new LanguageModelOptions());
        var json = JsonOutput.Of(parse);
        var score = SuiteEvaluator.Evaluate(model, suite, items, options.MaxTokensFor,
            (done, total) => { if (!json.OnStdout && !Console.IsErrorRedirected) Console.Error.Write($"\r{done}/{total}"); },
            itemsFile is null ? null : outcome => itemsFile.WriteLine(JsonSerializer.Serialize(outcome, JsonLine)));
        json.Write(JsonSerializer.Serialize(score, BenchResults.Json));
        if (json.OnStdout)
            return 0;
        if (!Console.IsErrorRedirected)
            Console.Error.WriteLine();
        var unit = suite == TaskFamilies.Probe ? "probes/s" : "tokens/s";
        Console.WriteLine($"{score.Model} on {suite}: accuracy {score.Accuracy:P1} over {score.N} requests, {score.Tps:F1} {unit}" +
                          (score.Errors > 0 ? $" ({score.Errors} did not fit the context)" : ""));
        if (score.Confusion is { } c)
        {
            Console.WriteLine("true \\ predicted  " + string.Join("  ", c.Labels.Select(l => l.PadLeft(5))));
            for (var i = 0; i < c.Labels.Count; i++)
                Console.WriteLine($"{c.Labels[i],-16}  " + string.Join("  ", c.Counts[i].Select(n => n.ToString().PadLeft(5))));
        }
        return 0;
    }

    private static StreamWriter OpenItemsFile(string path)
    {
        try
        {
            return new StreamWriter(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--items: cannot write '{path}': {e.Message}");
        }
    }
}
