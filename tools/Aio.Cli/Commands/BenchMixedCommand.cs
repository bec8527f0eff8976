using System.CommandLine;
using System.Runtime.InteropServices;
using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench [--scenario A|B|C|all] [--configs a,b] [--requests N] [--scenario-requests N] [--long-requests N] [--repetitions N] [--warmup N]
/// [--max-new-tokens N] [--seed N] [--suite-seed N] [--out DIR] [--quick] [--config FILE] [--small DIR] [--large DIR] [--policy FILE]
/// [--no-bandwidth]`: the main job, on the configured pair
/// (aio.json's models:small and models:large, reported under their served names; the quantized baselines run the
/// "-w8a16" sibling bundles). Every configuration on the per-task suites and the mixed scenarios, run for real through
/// the router; prints the tables and writes results.json, report.md and the Pareto plot (SVG and PNG). --no-bandwidth
/// is accepted and does nothing: the bandwidth study it switched off was removed (README).
/// </summary>
internal static class BenchMixedCommand
{
    // The default run fits about 25 minutes on a quiet 2-core machine; --quick is for development (README).
    private const int DefaultRequests = 24, DefaultScenarioRequests = 150, DefaultLongRequests = 20, DefaultRepetitions = 5;
    private const int QuickRequests = 3, QuickScenarioRequests = 6, QuickLongRequests = 2, QuickRepetitions = 3;

    private static readonly Option<string> Scenario = OptionRules.OneOf(new Option<string>("--scenario")
    {
        Description = "the mixed scenario to run after the per-task workloads: A, B, C or all",
        DefaultValueFactory = _ => "all",
    }, "A, B, C or all", StringComparer.OrdinalIgnoreCase, "A", "B", "C", "all");

    private static readonly Option<string[]?> Configs = OptionRules.NameList("--configs", "the configurations to run (default: all of them)", "configuration",
        [.. RoutingPolicies.Names, ConfigRunner.SmallTruncated]);

    private static readonly Option<int?> Requests = Count("--requests", "requests per per-task workload trace", DefaultRequests, QuickRequests);
    private static readonly Option<int?> ScenarioRequests = Count("--scenario-requests", "requests per mixed-scenario trace", DefaultScenarioRequests, QuickScenarioRequests);
    private static readonly Option<int?> LongRequests = Count("--long-requests", "requests per trace with long-context items (long, C)", DefaultLongRequests, QuickLongRequests);
    private static readonly Option<int?> Repetitions = Count("--repetitions", "timed repetitions of every cell", DefaultRepetitions, QuickRepetitions);
    private static readonly Option<int?> Warmup = Count("--warmup", "requests of each cell's discarded warm-up pass", 4, 1, min: 0);
    private static readonly Option<int?> ProbeRequests = Count("--probe-requests", "probe-suite requests for the probe's accuracy", 300, 30, min: 0);

    private static readonly Option<int> Seed = new("--seed") { Description = "seeds the request traces and the random baseline", HelpName = "N", DefaultValueFactory = _ => 1 };
    private static readonly Option<ulong> SuiteSeed = SharedOptions.SuiteSeedOption("--suite-seed");
    private static readonly Option<string> Out = new("--out") { Description = "folder for results.json, report.md and the Pareto plot", HelpName = "DIR", DefaultValueFactory = _ => Path.Combine("artifacts", "bench") };
    private static readonly Option<string?> Policy = new("--policy") { Description = "the routing policy file (default: the router's built-in options)", HelpName = "FILE" };
    private static readonly Option<bool> Quick = new("--quick") { Description = "a short run for development: each count's quick default, no bandwidth replay" };
    private static readonly Option<bool> NoBandwidth = new("--no-bandwidth") { Description = "accepted and ignored: the bandwidth study it skipped was removed" };

    /// <summary>A count whose default depends on --quick; absent, it reads as null.</summary>
    private static Option<int?> Count(string name, string description, int fallback, int quick, int min = 1) =>
        OptionRules.Range(new Option<int?>(name) { Description = $"{description} [default: {fallback}; quick: {quick}]", HelpName = "N" }, min, int.MaxValue);

    /// <summary>Adds the options to `aio bench` itself.</summary>
    public static void Declare(Command command)
    {
        foreach (var option in new Option[] { Scenario, Configs, Requests, ScenarioRequests, LongRequests, Repetitions, Warmup, SharedOptions.MaxNewTokens, Seed, SuiteSeed,
                                              Out, Quick, SharedOptions.Config, SharedOptions.SmallBundle, SharedOptions.LargeBundle, Policy, ProbeRequests, NoBandwidth })
            command.Options.Add(option);
    }

    public static int Run(ParseResult parse)
    {
        var quick = parse.GetValue(Quick);
        var options = new BenchOptions
        {
            Quick = quick,
            Requests = parse.GetValue(Requests) ?? (quick ? QuickRequests : DefaultRequests),
            ScenarioRequests = parse.GetValue(ScenarioRequests) ?? (quick ? QuickScenarioRequests : DefaultScenarioRequests),
            LongRequests = parse.GetValue(LongRequests) ?? (quick ? QuickLongRequests : DefaultLongRequests),
            Repetitions = parse.GetValue(Repetitions) ?? (quick ? QuickRepetitions : DefaultRepetitions),
            WarmupRequests = parse.GetValue(Warmup) ?? (quick ? 1 : 4),
            MaxTokens = parse.GetValue(SharedOptions.MaxNewTokens),
            Seed = parse.GetValue(Seed),
            SuiteSeed = parse.GetValue(SuiteSeed),
            ProbeRequests = parse.GetValue(ProbeRequests) ?? (quick ? 30 : 300),
            LongProbeRequests = quick ? 10 : new BenchOptions().LongProbeRequests,
            Configs = parse.GetValue(Configs) is { Length: > 0 } configs ? configs : BenchOptions.AllConfigs,
            LongTraceConfigs = parse.GetValue(Configs) is { Length: > 0 } ? null : BenchOptions.DefaultLongTraceConfigs,
            Workloads = Workloads(parse.GetRequiredValue(Scenario)),
            Policy = parse.GetValue(Policy) is { } p ? LoadPolicy(p) : PolicyOptions.Default,
        };
        var pair = ConfiguredPair.Read(parse.GetValue(SharedOptions.Config), parse.GetValue(SharedOptions.SmallBundle), parse.GetValue(SharedOptions.LargeBundle));
        var output = parse.GetRequiredValue(Out);
        Directory.CreateDirectory(output);

        AclLibrary.Resolved += choice => Console.Error.WriteLine(choice);
        using var device = Device.Open();
        using var models = LoadModels(device, pair, options.Configs);
        var suites = new SuiteGenerator(options.SuiteSeed).GenerateAll();
        var machine = new MachineInfo(RuntimeInformation.OSDescription, Environment.ProcessorCount,
            AclLibrary.Choice?.Kind == AclDeviceKind.Cpu ? "the CPU device (AscendCL on the CPU, graphs by ONNX Runtime)" : $"Ascend NPU {device.SocName}",
            AclLibrary.Choice?.Path ?? "?");
        var info = models.Models.Loaded().Select(p => new ModelInfo(p.Role.RoleName(), models.Names.Of(p.Role), p.Model.WeightBytes,
            p.Model.Manifest.Model.Layers, p.Model.Manifest.Model.HiddenSize, p.Model.MaxContext)).ToList();

        var bar = new ProgressBar(Console.Error);
        var (results, _) = new MixedWorkloadBench(models.Models, suites, models.Names).Run(options, machine, info, bar.Report);
        bar.Finish();

        results.Save(Path.Combine(output, "results.json"));
        var report = ReportWriter.Markdown(results);
        File.WriteAllText(Path.Combine(output, "report.md"), report);
        ParetoPlot.Save(results, Workload.Scenarios.Select(w => w.Name), Path.Combine(output, "pareto"));
        Console.WriteLine(report);
        Console.WriteLine($"wrote {Path.Combine(output, "results.json")}, report.md, pareto.svg and pareto.png");
        return 0;
    }

    private static IReadOnlyList<Workload> Workloads(string scenario) => scenario.Equals("all", StringComparison.OrdinalIgnoreCase)
        ? [.. Workload.PerTask, .. Workload.Scenarios]
        : [.. Workload.PerTask, Workload.Parse(scenario)];

    private static PolicyOptions LoadPolicy(string path)
    {
        try
        {
            return PolicyFile.Load(path).Options;
        }
        catch (RoutingException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static ResidentModels LoadModels(Device device, ConfiguredPair pair, IReadOnlyList<string> configs)
    {
        static string Existing(string dir, string what) => File.Exists(Path.Combine(dir, "bundle.json")) ? dir
            : throw new UsageException($"bundle '{dir}' ({what}) is missing; `./build.sh run` exports the reference pair and its W8A16 variants");
        var needQuant = configs.Any(c => c.EndsWith("-quant", StringComparison.Ordinal));
        var greedyOnly = new LanguageModelOptions();
        var loaded = new List<LanguageModel>();
        try
        {
            LanguageModel Load(string dir, string what, LanguageModelOptions? o = null)
            {
                Console.Error.WriteLine($"loading {what} from {dir} …");
                var model = LanguageModel.Load(device, ModelBundle.Load(Existing(dir, what)), o);
                loaded.Add(model);
                return model;
            }
            var router = new RouterModels
            {
                Small = Load(pair.Small, "the small model"), // logits graphs: the probe
                Large = Load(pair.Large, "the large model", greedyOnly),
                SmallQuant = needQuant ? Load(ConfiguredPair.QuantOf(pair.Small), "the small model's W8A16 variant", greedyOnly) : null,
                LargeQuant = needQuant ? Load(ConfiguredPair.QuantOf(pair.Large), "the large model's W8A16 variant", greedyOnly) : null,
            };
            foreach (var model in loaded)
            {
                var m = model.MemoryReport();
                Console.Error.WriteLine($"  {m.Model}: weights {m.WeightBytes / 1024.0 / 1024:F1} MiB, graphs on device {m.GraphDeviceBytes / 1024.0 / 1024:F1} MiB, KV {m.KvBytesAtMaxContext / 1024.0 / 1024:F1} MiB per sequence at the max context (allocated by gear)");
            }
            // The configured names for the pair; the quantized variants keep their bundles' names.
            var names = new ModelNames(router.Loaded().Select(p => KeyValuePair.Create(p.Role,
                p.Role is ModelRole.Small or ModelRole.Large ? pair.Names.Of(p.Role) : p.Model.Name)));
            return new ResidentModels(router, names, loaded);
        }
        catch
        {
            foreach (var model in loaded)
                model.Dispose();
            throw;
        }
    }

    private sealed class ResidentModels(RouterModels models, ModelNames names, List<LanguageModel> loaded) : IDisposable
    {
        public RouterModels Models { get; } = models;

        public ModelNames Names { get; } = names;

        public void Dispose()
        {
            foreach (var model in loaded)
                model.Dispose();
        }
    }
}
