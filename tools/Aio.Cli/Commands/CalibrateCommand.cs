using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Router;
using AscendAio.Router.Adaptive;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;
using AscendAio.Tasks;
using AscendAio.Tasks.Formats;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio calibrate [--config FILE] [--small B] [--large B] [--data DIR | --seed N] [--limit 500] [--holdout 300] [--test N]
/// [--objective throughput|accuracy] [--accuracy-floor A | --accuracy-margin M] [--tps-floor T] [--strategies]
/// [--policy BASE.json] [--out POLICY.json] [--samples-out F | --samples-in F] [--max-new-tokens N] [--adaptive] [--report F]`
/// <para>Measures the calibration split (probe + greedy runs on the configured small and large model (aio.json's
/// models:small / models:large, or --small / --large), plain and PLD, scored by the
/// suite's scorers), grid-searches τ (and with --strategies the per-category strategy) for the objective, writes the
/// policy JSON, prints the confusion matrix, the replayed baselines and the error-penalty analysis against the oracle
/// router; then the probe's confusion on the held-out probe set and, with --test N, end-to-end runs of the calibrated
/// policy and the oracle through the router (accuracy, tokens/s, overhead per request).</para>
/// Default objective: the most tokens/s at an accuracy no lower than the large model's (replayed) minus --accuracy-margin (0.01).
/// </summary>
internal sealed class CalibrateCommand : ICommand
{
    public string Name => "calibrate";

    public string Summary => "calibrate the router's entropy threshold τ on the calibration split; writes the policy JSON";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public int Run(string[] args)
    {
        var cl = CommandLine.Parse(args,
            ["--config", "--small", "--large", "--data", "--seed", "--limit", "--holdout", "--test", "--objective", "--accuracy-floor",
             "--accuracy-margin", "--tps-floor", "--policy", "--out", "--samples-out", "--samples-in", "--max-new-tokens", "--report"],
            ["--strategies", "--adaptive"]);
        if (cl.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{cl.Positional[0]}'");
        try
        {
            return Calibrate(cl);
        }
        catch (RoutingException e)
        {
            Console.Error.WriteLine($"aio calibrate: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is TaskFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"aio calibrate: {e.Message}");
            return 1;
        }
    }

    private static int Calibrate(CommandLine cl)
    {
        var basePolicy = cl.String("--policy") is { } p ? PolicyFile.Load(p).Options : PolicyOptions.Default;
        var maxNew = cl.Int("--max-new-tokens", 128, min: 1);
        var suites = LoadSuites(cl.String("--data"), cl.SuiteSeed("--seed"));
        var calibration = Interleave(suites, Splits.Calibration, cl.Int("--limit", 500, min: 1));
        var holdout = suites.GetValueOrDefault((TaskFamilies.Probe, Splits.Test)) ?? [];
        // Round-robin over categories, so a shorter held-out run stays balanced.
        holdout = holdout.GroupBy(i => i.Category).SelectMany(g => g.Select((item, k) => (item, k))).OrderBy(p => p.k)
            .Select(p => p.item).Take(cl.Int("--holdout", 300, min: 0)).ToList();
        var testCount = cl.Int("--test", 0, min: 0);
        var report = new JsonObject();

        var pair = ConfiguredPair.Read(cl);
        using var device = Device.Open();
        using var small = LoadModel(device, pair.Small);
        using var large = LoadModel(device, pair.Large);
        var models = new RouterModels { Small = small, Large = large };
        // The probe's categories: the bundle's category tokens, or an instruct model's labels (refused here if they collide).
        var probe = new Router.Probing.IntentProbe(small, basePolicy.InstructProbe);
        var scorer = new TaskScorer();

        // 1. Samples: measured here, or re-read from an earlier run.
        List<CalibrationSample> samples;
        if (cl.String("--samples-in") is { } samplesIn)
        {
            samples = SampleFile.Load(samplesIn);
            Console.WriteLine($"calibration: {samples.Count} samples from {samplesIn}");
        }
        else
        {
            RouteTarget[] targets = [new(ModelRole.Small, DecodingStrategy.Plain), new(ModelRole.Small, basePolicy.Pld),
                new(ModelRole.Large, DecodingStrategy.Plain), new(ModelRole.Large, basePolicy.Pld)];
            var sampler = new CalibrationSampler(models, targets, maxNew, basePolicy.InstructProbe);
            samples = [];
            foreach (var item in calibration)
            {
                samples.Add(sampler.Measure(item.Id, item.Request, item.Category, text => scorer.CanScore(item) && scorer.Score(item, text)));
                if (samples.Count % 25 == 0 || samples.Count == calibration.Count)
                    Console.Error.WriteLine($"  measured {samples.Count}/{calibration.Count}");
            }
            Console.WriteLine($"calibration: {samples.Count} requests of {string.Join(", ", calibration.GroupBy(i => i.Family).Select(g => $"{g.Count()} {g.Key}"))}; " +
                              $"targets {string.Join(", ", targets)}; max {maxNew} new tokens; reuse token mismatches {sampler.ReuseMismatches}");
            if (cl.String("--samples-out") is { } samplesOut)
                SampleFile.Save(samplesOut, samples);
        }
        var categories = probe.Categories.OrderBy(c => Array.IndexOf(TaskFamilies.Categories, c)).ToArray();
        var confusion = ConfusionMatrix.Of(categories, samples.Select(s => (s.TrueCategory, s.PredictedCategory)));
        Console.WriteLine($"\nprobe confusion on the calibration split:\n{confusion.Format()}");
        PrintProbeCosts("calibration", samples.Select(s => s.Probe).ToList(), Median(samples.Select(s => s.DecisionMs)));
        var reusable = samples.Where(s => s.ReusePrefillMs is not null && s.Outcomes.ContainsKey(new RouteTarget(ModelRole.Small, DecodingStrategy.Plain))).ToList();
        if (reusable.Count > 0)
        {
            var fresh = reusable.Average(s => s.Outcomes[new RouteTarget(ModelRole.Small, DecodingStrategy.Plain)].PrefillMs);
            var reused = reusable.Average(s => s.ReusePrefillMs!.Value);
            Console.WriteLine($"prefix reuse on the small model ({reusable.Count} requests that fit): prefill {fresh:F3} ms fresh → {reused:F3} ms from the probe's cache " +
                              $"(saves {fresh - reused:F3} ms, {1 - reused / fresh:P0} of the prefill; {reusable.Average(s => s.ContextTokens):F0} prompt tokens)");
            report["reuse"] = JsonSerializer.SerializeToNode(new { requests = reusable.Count, fresh_prefill_ms = fresh, reused_prefill_ms = reused });
        }

        // 2. Baselines replayed over the same measured runs.
        var largeScore = PolicyReplay.Run(RoutingPolicies.Create("static-large", basePolicy), samples);
        var objective = Objective(cl, largeScore);
        Console.WriteLine($"\nobjective: {objective}");
        var search = TauSearch.Run(samples, basePolicy, objective, new TauSearchOptions { SearchStrategies = cl.Flag("--strategies") });
        var best = search.Best;
        var tuned = best.Options with { RandomSmallShare = Math.Round(best.Score.SmallShare, 4) };
        Console.WriteLine(search.Feasible
            ? $"calibrated τ = {Tau(best.Tau)}: {best.Score}"
            : $"no τ meets the floor; closest: τ = {Tau(best.Tau)}: {best.Score}");
        if (cl.Flag("--strategies"))
            Console.WriteLine("  strategies: " + string.Join(", ", tuned.Categories.Select(c => $"{c.Key} → {c.Value.Model.RoleName()}/{StrategyText.Format(c.Value.Strategy)}" +
                (c.Value.Model != tuned.FallbackModel ? $" (on {tuned.FallbackModel.RoleName()}: {StrategyText.Format(tuned.StrategyOnFallback(c.Value))})" : ""))));

        Console.WriteLine($"\nreplayed on the calibration split ({samples.Count} requests):");
        var replays = new JsonObject();
        foreach (var (name, options) in new[]
                 {
                     ("static-small", basePolicy), ("static-large", basePolicy), ("large-pld", basePolicy), ("random", tuned),
                     ("oracle", tuned), ("aio (τ default)", basePolicy), ("aio (τ calibrated)", tuned), ("aio-no-entropy", tuned),
                     ("aio-no-model-routing", tuned), ("aio-no-pld-switch", tuned),
                 })
        {
            var score = PolicyReplay.Run(RoutingPolicies.Create(name.Split(' ')[0], options), samples, new ReplayOptions { Seed = options.Seed });
            Console.WriteLine($"  {name,-22} {score}");
            replays[name] = JsonSerializer.SerializeToNode(new { score.Accuracy, score.TokensPerSecond, score.SmallShare, score.MeanOverheadMs });
        }
        var oracle = PolicyReplay.Run(RoutingPolicies.Create("oracle", tuned), samples);
        Console.WriteLine($"  gap to the oracle router: accuracy {(best.Score.Accuracy - oracle.Accuracy) * 100:+0.0;-0.0} points, " +
                          $"{best.Score.TokensPerSecond - oracle.TokensPerSecond:+0.0;-0.0} tok/s ({best.Score.TokensPerSecond / oracle.TokensPerSecond - 1:+0.0%;-0.0%})");

        var penalty = ErrorPenaltyAnalysis.Analyse(samples, tuned);
        Console.WriteLine($"\nerror-penalty analysis (category averages, measured confusion): expected accuracy {penalty.UnderConfusion.Accuracy:P1}, " +
                          $"{penalty.UnderConfusion.TokensPerSecond:F1} tok/s; oracle {penalty.Oracle.Accuracy:P1}, {penalty.Oracle.TokensPerSecond:F1} tok/s; " +
                          $"penalty {penalty.AccuracyPenalty * 100:F1} points, {penalty.ThroughputPenalty:F1} tok/s");

        var calibrationRecord = new JsonObject
        {
            ["objective"] = objective.ToString(),
            ["feasible"] = search.Feasible,
            ["samples"] = samples.Count,
            ["tau"] = double.IsInfinity(best.Tau) ? "inf" : best.Tau,
            ["accuracy"] = Math.Round(best.Score.Accuracy, 4),
            ["tokens_per_second"] = Math.Round(best.Score.TokensPerSecond, 2),
            ["small_share"] = Math.Round(best.Score.SmallShare, 4),
            ["oracle_accuracy"] = Math.Round(oracle.Accuracy, 4),
            ["oracle_tokens_per_second"] = Math.Round(oracle.TokensPerSecond, 2),
            ["probe_accuracy"] = Math.Round(confusion.Accuracy, 4),
        };
        var output = cl.String("--out") ?? Path.Combine("artifacts", "calibration", "aio.json");
        new PolicyFile(RoutingPolicies.Aio, tuned) { Calibration = calibrationRecord }.Save(output);
        Console.WriteLine($"\nwrote {output}");
        report["calibration"] = calibrationRecord.DeepClone();
        report["replays"] = replays;

        if (cl.Flag("--adaptive"))
            report["adaptive_pld"] = AdaptiveReplay(samples, tuned);

        // 3. Held-out probe accuracy.
        if (holdout.Count > 0)
        {
            var results = holdout.Select(i => (i.Category, Run: probe.Run(RequestPrompt.User(i.Request)))).ToList();
            var held = ConfusionMatrix.Of(categories, results.Select(r => (r.Category, r.Run.Result.Category)));
            Console.WriteLine($"\nprobe confusion on {held.Total} held-out requests (probe/test):\n{held.Format()}");
            PrintProbeCosts("held-out", results.Select(r => r.Run.Result).ToList(), null);
            report["holdout_probe_accuracy"] = held.Accuracy;
            report["holdout_confusion"] = JsonSerializer.SerializeToNode(categories.ToDictionary(t => t, t => categories.ToDictionary(c => c, c => held[t, c])));
            foreach (var (_, run) in results)
                run.Dispose();
        }

        // 4. End to end through the router on the test splits.
        if (testCount > 0)
            report["end_to_end"] = EndToEnd(models, tuned, Interleave(suites, Splits.Test, testCount), scorer, maxNew);

        if (cl.String("--report") is { } reportPath)
        {
            File.WriteAllText(reportPath, report.ToJsonString(Indented));
            Console.WriteLine($"wrote {reportPath}");
        }
        return 0;
    }

    private static JsonObject EndToEnd(RouterModels models, PolicyOptions tuned, List<TaskItem> items, TaskScorer scorer, int maxNew)
    {
        Console.WriteLine($"\nend to end through the router on {items.Count} test requests ({string.Join(", ", items.GroupBy(i => i.Family).Select(g => $"{g.Count()} {g.Key}"))}):");
        var options = new GenerationOptions { MaxNewTokens = maxNew };
        string[] names = [RoutingPolicies.Aio, RoutingPolicies.Oracle, "static-large"];
        var routers = names.Select(n => new AioRouter(models, RoutingPolicies.Create(n, tuned))).ToArray();
        var runs = names.Select(_ => new List<(TaskItem Item, RoutedResult Result)>()).ToArray();
        try
        {
            foreach (var router in routers)
            {
                foreach (var warm in items.Take(3)) // first calls pay JIT compilation; keep them out of the timings
                    router.Generate(RequestPrompt.User(warm.Request), options with { MaxNewTokens = 2 }, warm.Category);
            }
            // Policies take turns on each request, so drift in the machine's load hits them alike.
            foreach (var item in items)
            {
                for (var p = 0; p < routers.Length; p++)
                    runs[p].Add((item, routers[p].Generate(RequestPrompt.User(item.Request), options, item.Category)));
            }
        }
        finally
        {
            foreach (var router in routers)
                router.Dispose();
        }

        var result = new JsonObject();
        var scores = new Dictionary<string, (double Accuracy, double Tps)>();
        for (var p = 0; p < names.Length; p++)
        {
            var name = names[p];
            var r = runs[p];
            var accuracy = r.Average(x => scorer.CanScore(x.Item) && scorer.Score(x.Item, x.Result.Result.Text) ? 1.0 : 0.0);
            var tokens = r.Sum(x => x.Result.Result.Metrics.GeneratedTokens);
            var tps = tokens / (r.Sum(x => x.Result.Timings.OverheadMs + x.Result.Timings.GenerationMs) / 1000);
            scores[name] = (accuracy, tps);
            var t = r.Select(x => x.Result.Timings).ToList();
            var generation = t.Average(x => x.GenerationMs);
            string Part(string label, Func<RequestTimings, double> ms) => $"{label} {t.Average(ms):F3} ms (p50 {Median(t.Select(ms)):F3}; {t.Average(ms) / generation:P2})";
            Console.WriteLine($"  {name,-13} accuracy {accuracy:P1}, {tps:F1} tok/s, small share {r.Average(x => x.Result.Decision.Model.IsSmall() ? 1.0 : 0):P0}, " +
                              $"mean generation {generation:F1} ms, mean reused prefix {r.Average(x => x.Result.ReusedPrefixTokens):F1} tokens");
            Console.WriteLine($"    overhead per request: {Part("template", x => x.TemplateMs)}, {Part("probe prefill", x => x.ProbePrefillMs)}, " +
                              $"{Part("decision", x => x.DecisionMs)}, {Part("model switch", x => x.ModelSwitchMs)}; total {Part("", x => x.OverheadMs).TrimStart()}");
            result[name] = JsonSerializer.SerializeToNode(new
            {
                accuracy, tokens_per_second = tps, mean_generation_ms = generation,
                template_ms = t.Average(x => x.TemplateMs), probe_prefill_ms = t.Average(x => x.ProbePrefillMs),
                decision_ms = t.Average(x => x.DecisionMs), model_switch_ms = t.Average(x => x.ModelSwitchMs),
            });
        }
        var (aio, oracle) = (scores[RoutingPolicies.Aio], scores[RoutingPolicies.Oracle]);
        Console.WriteLine($"  gap aio − oracle: accuracy {(aio.Accuracy - oracle.Accuracy) * 100:+0.0;-0.0} points, {aio.Tps - oracle.Tps:+0.0;-0.0} tok/s ({aio.Tps / oracle.Tps - 1:+0.0%;-0.0%})");
        return result;
    }

    private static JsonObject AdaptiveReplay(List<CalibrationSample> samples, PolicyOptions tuned)
    {
        // PLD on for every category on its model; the tracker keeps it only where it measures faster than plain.
        var everywhere = tuned with { Categories = tuned.Categories.ToDictionary(p => p.Key, p => p.Value with { Strategy = tuned.Pld }) };
        var aio = RoutingPolicies.Create(RoutingPolicies.Aio, everywhere);
        var report = AdaptivePldReplay.Run(aio, samples, new AdaptivePldOptions());
        var plainEverywhere = PolicyReplay.Run(RoutingPolicies.Create("aio-no-pld-switch", everywhere), samples);
        Console.WriteLine($"\nadaptive PLD (replay in request order, policy: PLD for every category): PLD always {report.Static.TokensPerSecond:F1} tok/s, " +
                          $"plain always {plainEverywhere.TokensPerSecond:F1} tok/s, adaptive {report.Adaptive.TokensPerSecond:F1} tok/s " +
                          $"({report.PlainRuns} of the PLD decisions ran plain)");
        foreach (var a in report.Arms)
            Console.WriteLine($"  {a.Category,-5} on {a.Model.RoleName(),-9} context ≤ {a.ContextBucket,-5} PLD {a.PldMsPerToken:F2} ms/token ({a.PldRuns} runs, acceptance {a.Acceptance:F2}), " +
                              $"plain {a.PlainMsPerToken:F2} ms/token ({a.PlainRuns} runs) → PLD {(a.PldEnabled ? "on" : "off")}");
        return JsonSerializer.SerializeToNode(new
        {
            pld_always_tokens_per_second = report.Static.TokensPerSecond, plain_always_tokens_per_second = plainEverywhere.TokensPerSecond,
            adaptive_tokens_per_second = report.Adaptive.TokensPerSecond, plain_runs = report.PlainRuns,
            arms = report.Arms.Select(a => new { a.Category, model = a.Model.RoleName(), a.ContextBucket, a.PldMsPerToken, a.PlainMsPerToken, a.Acceptance, a.PldEnabled }),
        })!.AsObject();
    }

    private static CalibrationObjective Objective(CommandLine cl, ReplayScore large)
    {
        switch (cl.String("--objective") ?? "throughput")
        {
            case "throughput":
                var floor = cl.String("--accuracy-floor") is not null
                    ? cl.Double("--accuracy-floor", 0, min: 0, max: 1)
                    : large.Accuracy - cl.Double("--accuracy-margin", 0.01, min: 0, max: 1);
                return CalibrationObjective.ThroughputAtAccuracyFloor(floor);
            case "accuracy":
                return CalibrationObjective.AccuracyAtThroughputFloor(cl.Double("--tps-floor", large.TokensPerSecond, min: 0));
            case var other:
                throw new UsageException($"--objective must be 'throughput' or 'accuracy', got '{other}'");
        }
    }

    private static void PrintProbeCosts(string label, List<Router.Probing.ProbeResult> probes, double? decisionMs)
    {
        Console.WriteLine($"probe cost ({label}, {probes.Count} requests; mean / p50): template {probes.Average(p => p.TemplateMs):F3} / {Median(probes.Select(p => p.TemplateMs)):F3} ms, " +
                          $"prefill {probes.Average(p => p.PrefillMs):F3} / {Median(probes.Select(p => p.PrefillMs)):F3} ms over {probes.Average(p => p.ProbeTokens):F0} tokens" +
                          (decisionMs is { } d ? $", decision p50 {d:F4} ms" : "") + $"; {probes.Count(p => p.Truncated)} truncated to the small context; " +
                          $"mean entropy {probes.Average(p => p.Entropy):F3} nats");
    }

    private static LanguageModel LoadModel(Device device, string directory)
    {
        if (!File.Exists(Path.Combine(directory, "bundle.json")))
            throw new UsageException($"no model bundle at '{directory}'; make one with `aio export --checkpoint models/<name> --out {directory}`");
        return LanguageModel.Load(device, ModelBundle.Load(directory), new LanguageModelOptions());
    }

    private static IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> LoadSuites(string? data, ulong seed)
    {
        if (data is null)
            return new SuiteGenerator(seed).GenerateAll();
        var map = new Dictionary<(string, string), IReadOnlyList<TaskItem>>();
        foreach (var family in TaskFamilies.Generated.Append(TaskFamilies.Probe))
        {
            foreach (var split in Splits.All)
            {
                var path = Path.Combine(data, family, split + ".jsonl");
                if (File.Exists(path))
                    map[(family, split)] = TaskJsonl.Read(path);
            }
        }
        return map;
    }

    /// <summary>The split's families (code, qa, math, long) taken round-robin, so any prefix is a balanced mix.</summary>
    private static List<TaskItem> Interleave(IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> suites, string split, int limit)
    {
        var lists = TaskFamilies.Generated.Select(f => suites.GetValueOrDefault((f, split)) ?? []).ToArray();
        if (lists.All(l => l.Count == 0))
            throw new UsageException($"no {split} items found");
        var items = new List<TaskItem>();
        for (var i = 0; items.Count < limit && lists.Any(l => i < l.Count); i++)
        {
            foreach (var list in lists)
            {
                if (i < list.Count && items.Count < limit)
                    items.Add(list[i]);
            }
        }
        return items;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Tau(double tau) => double.IsInfinity(tau) ? "∞ (never fall back)" : tau.ToString("F2", CultureInfo.InvariantCulture);
}
