using System.CommandLine;
using System.Text.Json;
using AscendAio.Evaluation.EngineBench;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation.Load;
using AscendAio.Host.Configuration;
using AscendAio.Tasks;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench engine [--small B] [--large B] [--small-quant B] [--large-quant B] [--random-pair] [--roofline] ...`:
/// host overhead per decode step, decode TPS per model × strategy × task suite (with draft acceptance), and the
/// memory-bound roofline. Progress goes to stderr, Markdown tables to stdout, everything to --json FILE (or, with a bare
/// --json, on stdout instead of the tables).
/// </summary>
internal static class BenchEngineCommand
{
    public const string Name = "engine";

    private static readonly Option<string?> SmallQuant = new("--small-quant") { Description = "the small model's W8A16 bundle directory", HelpName = "DIR" };
    private static readonly Option<string?> LargeQuant = new("--large-quant") { Description = "the large model's W8A16 bundle directory", HelpName = "DIR" };
    private static readonly Option<bool> RandomPairOption = new("--random-pair") { Description = "export (once, cached) random-weight stand-ins for the bundles not given" };

    private static readonly Option<string[]?> Suites = OptionRules.NameList("--suites", "the task suites of the decode benchmark (default: all)", "suite", TaskFamilies.Generated);
    private static readonly Option<int> Requests = OptionRules.Integer("--requests", "requests per suite", 6);
    private static readonly Option<int?> MaxNewTokens = SharedOptions.MaxNewTokensOption(64, min: 2);
    private static readonly Option<int> OverheadSteps = OptionRules.Integer("--overhead-steps", "decode steps of the host-overhead measurement", 200, min: 10);
    private static readonly Option<bool> NoOverhead = new("--no-overhead") { Description = "skip the host overhead per decode step" };
    private static readonly Option<bool> NoDecode = new("--no-decode") { Description = "skip decode TPS per model × strategy × suite" };

    private static readonly Option<bool> Roofline = new("--roofline") { Description = "a memory-bound random model (>= 1 GB fp32) against the bandwidth ceiling" };
    private static readonly Option<int> RooflineLayers = OptionRules.Integer("--roofline-layers", "the roofline model's layers", 6);
    private static readonly Option<int> RooflineHidden = OptionRules.Integer("--roofline-hidden", "its hidden size", 2048, min: 64);
    private static readonly Option<int> RooflineFfn = OptionRules.Integer("--roofline-ffn", "its FFN size", 5632, min: 64);
    private static readonly Option<int> RooflineVocab = OptionRules.Integer("--roofline-vocab", "its vocabulary", 4096, min: 300);
    private static readonly Option<int> RooflineSteps = OptionRules.Integer("--roofline-steps", "decode steps per round", 24);
    private static readonly Option<int> RooflineRounds = OptionRules.Integer("--roofline-rounds", "rounds", 3);
    private static readonly Option<int?> RooflineWindow = OptionRules.Range(new Option<int?>("--roofline-window")
    {
        Description = "the attention window (default: the smallest gear; 256 512 1024 2048)",
        HelpName = "N",
    }, 16, int.MaxValue);

    private static readonly Option<bool> Load = new("--load")
    {
        Description = "serving load, continuous batching vs unbatched: the memory-bound model (batch gears 1,2,4,8) and the --large bundle (or aio.json's models:large) with the suites' requests",
    };
    private static readonly Option<int[]?> LoadConcurrency = OptionRules.PositiveList("--load-concurrency", "concurrent clients, one run each [default: 1,4,8,16,32]", max: 256);
    private static readonly Option<int> LoadTokens = OptionRules.Integer("--load-tokens", "new tokens per request", 32, min: 2);
    private static readonly Option<int> LoadRounds = OptionRules.Integer("--load-rounds", "rounds", 3);
    private static readonly Option<int> LoadPromptTokens = OptionRules.Integer("--load-prompt-tokens",
        "the memory-bound model's prompts cut to their first N tokens (0: whole); on the CPU device its prefill chunk is compute-bound and would hide the decode regime", 15, min: 0);

    private static readonly Option<string> Cache = new("--cache") { Description = "folder of the generated models", HelpName = "DIR", DefaultValueFactory = _ => Path.Combine("artifacts", "bench") };
    private static readonly Option<string?> Tokenizer = new("--tokenizer") { Description = "a bundle whose tokenizer the random models speak (default: aio.json's models:small, if present)", HelpName = "DIR" };

    /// <summary>The `engine` subcommand of `aio bench`.</summary>
    public static Command Declare() => new(Name, "host overhead per decode step, decode TPS per model × strategy × suite, the memory-bound roofline, serving load")
    {
        SharedOptions.SmallBundle, SharedOptions.LargeBundle, SmallQuant, LargeQuant, RandomPairOption,
        Suites, Requests, MaxNewTokens, SharedOptions.SuiteSeed, OverheadSteps, NoOverhead, NoDecode,
        Roofline, RooflineLayers, RooflineHidden, RooflineFfn, RooflineVocab, RooflineSteps, RooflineRounds, RooflineWindow,
        Load, LoadConcurrency, LoadTokens, LoadRounds, LoadPromptTokens,
        Cache, Tokenizer, SharedOptions.Json,
    };

    private static readonly Action<string> Progress = line => Console.Error.WriteLine(line);

    /// <summary>The small model's bundle of aio.json in the current folder (its tokenizer files), if there is one.</summary>
    private static string? ConfiguredSmallBundle() =>
        AioConfiguration.Read(null, depth: ConfigCheckDepth.Values).Options?.Models.Small is { } dir && Directory.Exists(dir) ? dir : null;

    /// <summary>The large model's bundle of aio.json in the current folder, if there is one.</summary>
    private static string? ConfiguredLargeBundle() =>
        AioConfiguration.Read(null, depth: ConfigCheckDepth.Values).Options?.Models.Large is { } dir && Directory.Exists(dir) ? dir : null;

    public static int Run(ParseResult parse)
    {
        var cache = parse.GetRequiredValue(Cache);
        var command = "aio bench engine " + string.Join(' ', parse.Tokens.SkipWhile(t => t.Value != Name).Skip(1).Select(t => t.Value));
        var report = new EngineBenchReport { Command = command, Threads = RooflineBench.CpuDeviceThreads() };

        var bundles = new Dictionary<string, string?>
        {
            ["small"] = parse.GetValue(SharedOptions.SmallBundle), ["large"] = parse.GetValue(SharedOptions.LargeBundle),
            ["small-quant"] = parse.GetValue(SmallQuant), ["large-quant"] = parse.GetValue(LargeQuant),
        };
        if (parse.GetValue(RandomPairOption))
        {
            var tokenizer = parse.GetValue(Tokenizer) ?? ConfiguredSmallBundle();
            var pair = RandomPair.Ensure(cache, tokenizer, Progress);
            bundles["small"] ??= pair.Small;
            bundles["large"] ??= pair.Large;
            bundles["small-quant"] ??= pair.SmallQuant;
            bundles["large-quant"] ??= pair.LargeQuant;
        }
        if (bundles.Values.Any(b => b is not null))
            RunModels(parse, bundles, report);
        if (parse.GetValue(Roofline))
        {
            var model = new RooflineModel
            {
                Shape = new RooflineModel().Shape with
                {
                    Layers = parse.GetValue(RooflineLayers), Hidden = parse.GetValue(RooflineHidden),
                    Intermediate = parse.GetValue(RooflineFfn), VocabSize = parse.GetValue(RooflineVocab),
                },
            };
            var bundle = model.EnsureBundle(cache, Progress);
            report.Roofline = RooflineBench.Run(bundle, parse.GetValue(RooflineWindow), parse.GetValue(RooflineSteps), parse.GetValue(RooflineRounds), Progress);
        }
        if (parse.GetValue(Load))
        {
            var levels = parse.GetValue(LoadConcurrency) is { Length: > 0 } given ? given : [1, 4, 8, 16, 32];
            var options = new LoadBenchOptions { Concurrencies = levels, MaxNewTokens = parse.GetValue(LoadTokens), Rounds = parse.GetValue(LoadRounds) };
            var reference = parse.GetValue(SharedOptions.LargeBundle) ?? ConfiguredLargeBundle();
            // The memory-bound stand-in speaks the reference tokenizer (its vocabulary), so it serves the same requests as text.
            var tokenizer = parse.GetValue(Tokenizer) ?? ConfiguredSmallBundle()
                ?? throw new UsageException("--load needs a tokenizer for the memory-bound model: --tokenizer DIR or aio.json's models:small");
            var memoryBound = new RooflineModel
            {
                BatchGears = [1, 2, 4, 8],
                Shape = new RooflineModel().Shape with { VocabSize = LoadBench.TokenizerVocabulary(tokenizer), TokenizerDirectory = tokenizer },
            }.EnsureBundle(cache, Progress);
            using var device = Device.Open();
            var cut = parse.GetValue(LoadPromptTokens);
            foreach (var (bundle, modelOptions) in new[] { (reference, options), (memoryBound, options with { MaxPromptTokens = cut > 0 ? cut : null }) })
            {
                if (bundle is null)
                    continue;
                using var model = LanguageModel.Load(device, ModelBundle.Load(bundle), new LanguageModelOptions { MaxIdleCaches = levels.Max() });
                report.Load.AddRange(LoadBench.Run(model, modelOptions, Progress));
            }
        }
        if (report.Overhead.Count == 0 && report.Decode.Count == 0 && report.Roofline is null && report.Load.Count == 0)
            throw new UsageException("nothing to run: give bundles (--small/--large/...), --random-pair, --roofline or --load");

        var json = JsonOutput.Of(parse);
        if (json.Tables)
            EngineBenchTables.Print(Console.Out, report);
        if (json.Write(JsonSerializer.Serialize(report, EngineBenchReport.JsonOptions)) is { } file)
            Progress($"wrote {file}");
        return 0;
    }

    private static void RunModels(ParseResult parse, Dictionary<string, string?> bundles, EngineBenchReport report)
    {
        using var device = Device.Open();
        var models = new Dictionary<string, LanguageModel>();
        try
        {
            foreach (var (label, directory) in bundles)
            {
                if (directory is null)
                    continue;
                Progress($"loading {label}: {directory}");
                models[label] = LanguageModel.Load(device, ModelBundle.Load(directory), new LanguageModelOptions { MaxIdleCaches = 1 });
            }
            if (!parse.GetValue(NoOverhead))
            {
                foreach (var label in new[] { "small", "large" })
                {
                    if (models.TryGetValue(label, out var model))
                        report.Overhead.Add(StepOverheadBench.Run(model, parse.GetValue(OverheadSteps), Progress));
                }
            }
            if (!parse.GetValue(NoDecode))
            {
                var suites = LoadSuites(parse);
                report.Decode.AddRange(DecodeThroughputBench.Run(Subjects(models), suites, parse.GetValue(MaxNewTokens) ?? 64, Progress));
            }
        }
        finally
        {
            foreach (var model in models.Values)
                model.Dispose();
        }
    }

    /// <summary>plain + pld on each fp32 model, draft on the large one with the small drafter, w8a16 = quant bundle, plain.</summary>
    private static List<DecodeSubject> Subjects(Dictionary<string, LanguageModel> models)
    {
        var subjects = new List<DecodeSubject>();
        foreach (var label in new[] { "small", "large" })
        {
            if (!models.TryGetValue(label, out var model))
                continue;
            subjects.Add(new DecodeSubject(label, model, "plain"));
            subjects.Add(new DecodeSubject(label, model, "pld"));
            if (label == "large" && models.TryGetValue("small", out var drafter))
                subjects.Add(new DecodeSubject(label, model, "draft", drafter));
            if (models.TryGetValue(label + "-quant", out var quant))
                subjects.Add(new DecodeSubject(label, quant, "w8a16"));
        }
        return subjects;
    }

    private static Dictionary<string, IReadOnlyList<TaskItem>> LoadSuites(ParseResult parse)
    {
        var names = parse.GetValue(Suites) is { Length: > 0 } given ? given : TaskFamilies.Generated.ToArray();
        var requests = parse.GetValue(Requests);
        var all = new SuiteGenerator(parse.GetValue(SharedOptions.SuiteSeed)).GenerateAll();
        return names.ToDictionary(n => n, n => (IReadOnlyList<TaskItem>)all[(n, Splits.Test)].Take(requests).ToList());
    }
}
