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
/// [--max-tokens N] [--seed N] [--suite-seed N] [--out DIR] [--quick] [--config FILE] [--small DIR] [--large DIR] [--policy FILE]
/// [--no-bandwidth]`: the main job, on the configured pair
/// (aio.json's models:small and models:large, reported under their served names; the quantized baselines run the
/// "-w8a16" sibling bundles). Every configuration on the per-task suites and the mixed scenarios, run for real through
/// the router; prints the tables and writes results.json, report.md and the Pareto plot (SVG and PNG). --no-bandwidth
/// is accepted and does nothing: the bandwidth study it switched off was removed (README).
/// </summary>
internal sealed class BenchMixedCommand : ICommand
{
    public string Name => "bench";

    public string Summary => "the main job: every configuration on the task suites and scenarios A/B/C";

    // The default run fits about 25 minutes on a quiet 2-core machine; --quick is for development (README).
    private const int DefaultRequests = 24, DefaultScenarioRequests = 150, DefaultLongRequests = 20, DefaultRepetitions = 5;
    private const int QuickRequests = 3, QuickScenarioRequests = 6, QuickLongRequests = 2, QuickRepetitions = 3;

    public int Run(string[] args)
    {
        var cl = CommandLine.Parse(args, ["--scenario", "--configs", "--requests", "--max-tokens", "--seed", "--suite-seed", "--out", "--config", "--small", "--large", "--policy", "--probe-requests", "--scenario-requests", "--long-requests", "--repetitions", "--warmup"], ["--quick", "--no-bandwidth"]);
        var quick = cl.Flag("--quick");
        var options = new BenchOptions
        {
            Quick = quick,
            Requests = cl.Int("--requests", quick ? QuickRequests : DefaultRequests, min: 1),
            ScenarioRequests = cl.Int("--scenario-requests", quick ? QuickScenarioRequests : DefaultScenarioRequests, min: 1),
            LongRequests = cl.Int("--long-requests", quick ? QuickLongRequests : DefaultLongRequests, min: 1),
            Repetitions = cl.Int("--repetitions", quick ? QuickRepetitions : DefaultRepetitions, min: 1),
            WarmupRequests = cl.Int("--warmup", quick ? 1 : 4, min: 0),
            MaxTokens = cl.String("--max-tokens") is null ? null : cl.Int("--max-tokens", 0, min: 1),
            Seed = cl.Int("--seed", 1),
            SuiteSeed = cl.SuiteSeed("--suite-seed"),
            ProbeRequests = cl.Int("--probe-requests", quick ? 30 : 300, min: 0),
            LongProbeRequests = quick ? 10 : new BenchOptions().LongProbeRequests,
            Configs = cl.String("--configs") is { } c ? ParseConfigs(c) : BenchOptions.AllConfigs,
            LongTraceConfigs = cl.String("--configs") is null ? BenchOptions.DefaultLongTraceConfigs : null,
            Workloads = ParseWorkloads(cl.String("--scenario") ?? "all"),
            Policy = cl.String("--policy") is { } p ? LoadPolicy(p) : PolicyOptions.Default,
        };
        var pair = ConfiguredPair.Read(cl);
        var output = cl.String("--out") ?? Path.Combine("artifacts", "bench");
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

    private static IReadOnlyList<string> ParseConfigs(string text)
    {
        var configs = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var c in configs)
        {
            if (!RoutingPolicies.Names.Contains(c) && c != ConfigRunner.SmallTruncated)
                throw new UsageException($"--configs: unknown configuration '{c}' (known: {string.Join(", ", RoutingPolicies.Names)}, {ConfigRunner.SmallTruncated})");
        }
        return configs;
    }

    private static IReadOnlyList<Workload> ParseWorkloads(string scenario) => scenario.ToLowerInvariant() switch
    {
        "all" => [.. Workload.PerTask, .. Workload.Scenarios],
        "a" or "b" or "c" => [.. Workload.PerTask, Workload.Parse(scenario)],
        _ => throw new UsageException($"--scenario must be A, B, C or all, got '{scenario}'"),
    };

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
