using System.Text.Json;
using AscendAio.Cli.EngineBench;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation.Load;
using AscendAio.Host.Configuration;
using AscendAio.Tasks;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench engine [--small B] [--large B] [--small-quant B] [--large-quant B] [--random-pair] [--roofline] ...`:
/// host overhead per decode step, decode TPS per model × strategy × task suite (with draft acceptance), and the
/// memory-bound roofline. Progress goes to stderr, Markdown tables to stdout, everything to --json OUT.
/// </summary>
internal sealed class BenchEngineCommand
{
    private const string Usage = """
        usage: aio bench engine [models] [--roofline] [options]
          models:   --small B --large B [--small-quant B --large-quant B]   bundle directories
                    --random-pair                 export (once, cached) random-weight stand-ins for missing ones
          --suites code,qa,math,long   --requests N (6)   --max-new-tokens N (64)   --seed N (1234)
          --overhead-steps N (200)     --no-overhead      --no-decode
          --roofline                   memory-bound random model (>= 1 GB fp32) against the bandwidth ceiling
          --roofline-layers N (6) --roofline-hidden N (2048) --roofline-ffn N (5632) --roofline-vocab N (4096)
          --roofline-steps N (24) --roofline-rounds N (3) --roofline-window N (the smallest gear; 256 512 1024 2048)
          --load                       serving load, continuous batching vs unbatched: the memory-bound model (batch gears
                                       1,2,4,8) and the --large bundle (or aio.json's models:large) with the suites' requests
          --load-concurrency 1,4,8 (1,4,8,16,32)   --load-tokens N (32)   --load-rounds N (3)
          --load-prompt-tokens N (15)  the memory-bound model's prompts cut to their first N tokens (0: whole); on the CPU
                                       device its prefill chunk is compute-bound and would hide the decode regime
          --cache DIR (artifacts/bench)   --tokenizer DIR (aio.json's models:small bundle if present)   --json OUT
        """;

    private static readonly Action<string> Progress = line => Console.Error.WriteLine(line);

    /// <summary>The small model's bundle of aio.json in the current folder (its tokenizer files), if there is one.</summary>
    private static string? ConfiguredSmallBundle() =>
        AioConfiguration.Read(null, depth: ConfigCheckDepth.Values).Options?.Models.Small is { } dir && Directory.Exists(dir) ? dir : null;

    /// <summary>The large model's bundle of aio.json in the current folder, if there is one.</summary>
    private static string? ConfiguredLargeBundle() =>
        AioConfiguration.Read(null, depth: ConfigCheckDepth.Values).Options?.Models.Large is { } dir && Directory.Exists(dir) ? dir : null;

    public int Run(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var cl = CommandLine.Parse(args,
            ["--small", "--large", "--small-quant", "--large-quant", "--suites", "--requests", "--max-new-tokens", "--seed", "--overhead-steps",
             "--roofline-layers", "--roofline-hidden", "--roofline-ffn", "--roofline-vocab", "--roofline-steps", "--roofline-rounds", "--roofline-window",
             "--load-concurrency", "--load-tokens", "--load-rounds", "--load-prompt-tokens",
             "--cache", "--tokenizer", "--json"],
            ["--random-pair", "--roofline", "--load", "--no-overhead", "--no-decode"]);
        if (cl.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{cl.Positional[0]}'");
        var cache = cl.String("--cache") ?? Path.Combine("artifacts", "bench");
        var report = new EngineBenchReport { Command = "aio bench engine " + string.Join(' ', args), Threads = RooflineBench.CpuDeviceThreads() };

        var bundles = new Dictionary<string, string?>
        {
            ["small"] = cl.String("--small"), ["large"] = cl.String("--large"),
            ["small-quant"] = cl.String("--small-quant"), ["large-quant"] = cl.String("--large-quant"),
        };
        if (cl.Flag("--random-pair"))
        {
            var tokenizer = cl.String("--tokenizer") ?? ConfiguredSmallBundle();
            var pair = RandomPair.Ensure(cache, tokenizer, Progress);
            bundles["small"] ??= pair.Small;
            bundles["large"] ??= pair.Large;
            bundles["small-quant"] ??= pair.SmallQuant;
            bundles["large-quant"] ??= pair.LargeQuant;
        }
        if (bundles.Values.Any(b => b is not null))
            RunModels(cl, bundles, report);
        if (cl.Flag("--roofline"))
        {
            var model = new RooflineModel
            {
                Shape = new RooflineModel().Shape with
                {
                    Layers = cl.Int("--roofline-layers", 6, min: 1), Hidden = cl.Int("--roofline-hidden", 2048, min: 64),
                    Intermediate = cl.Int("--roofline-ffn", 5632, min: 64), VocabSize = cl.Int("--roofline-vocab", 4096, min: 300),
                },
            };
            var bundle = model.EnsureBundle(cache, Progress);
            report.Roofline = RooflineBench.Run(bundle, cl.String("--roofline-window") is null ? null : cl.Int("--roofline-window", 256, min: 16), cl.Int("--roofline-steps", 24, min: 1), cl.Int("--roofline-rounds", 3, min: 1), Progress);
        }
        if (cl.Flag("--load"))
        {
            var levels = (cl.String("--load-concurrency") ?? "1,4,8,16,32").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => int.TryParse(v, out var c) && c is >= 1 and <= 256 ? c : throw new UsageException($"--load-concurrency: '{v}' is not 1..256")).ToArray();
            var options = new LoadBenchOptions { Concurrencies = levels, MaxNewTokens = cl.Int("--load-tokens", 32, min: 2), Rounds = cl.Int("--load-rounds", 3, min: 1) };
            var reference = cl.String("--large") ?? ConfiguredLargeBundle();
            // The memory-bound stand-in speaks the reference tokenizer (its vocabulary), so it serves the same requests as text.
            var tokenizer = cl.String("--tokenizer") ?? ConfiguredSmallBundle()
                ?? throw new UsageException("--load needs a tokenizer for the memory-bound model: --tokenizer DIR or aio.json's models:small");
            var memoryBound = new RooflineModel
            {
                BatchGears = [1, 2, 4, 8],
                Shape = new RooflineModel().Shape with { VocabSize = LoadBench.TokenizerVocabulary(tokenizer), TokenizerDirectory = tokenizer },
            }.EnsureBundle(cache, Progress);
            using var device = Device.Open();
            var cut = cl.Int("--load-prompt-tokens", 15, min: 0);
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

        EngineBenchTables.Print(Console.Out, report);
        if (cl.String("--json") is { } json)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
            File.WriteAllText(json, JsonSerializer.Serialize(report, EngineBenchReport.JsonOptions));
            Progress($"wrote {json}");
        }
        return 0;
    }

    private static void RunModels(CommandLine cl, Dictionary<string, string?> bundles, EngineBenchReport report)
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
            if (!cl.Flag("--no-overhead"))
            {
                foreach (var label in new[] { "small", "large" })
                {
                    if (models.TryGetValue(label, out var model))
                        report.Overhead.Add(StepOverheadBench.Run(model, cl.Int("--overhead-steps", 200, min: 10), Progress));
                }
            }
            if (!cl.Flag("--no-decode"))
            {
                var suites = LoadSuites(cl);
                report.Decode.AddRange(DecodeThroughputBench.Run(Subjects(models), suites, cl.Int("--max-new-tokens", 64, min: 2), Progress));
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

    private static Dictionary<string, IReadOnlyList<TaskItem>> LoadSuites(CommandLine cl)
    {
        var names = (cl.String("--suites") ?? string.Join(',', TaskFamilies.Generated)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!TaskFamilies.Generated.Contains(name))
                throw new UsageException($"--suites: unknown suite '{name}' (expected {string.Join(", ", TaskFamilies.Generated)})");
        }
        var seed = cl.SuiteSeed("--seed");
        var requests = cl.Int("--requests", 6, min: 1);
        var all = new SuiteGenerator(seed).GenerateAll();
        return names.ToDictionary(n => n, n => (IReadOnlyList<TaskItem>)all[(n, Splits.Test)].Take(requests).ToList());
    }
}
