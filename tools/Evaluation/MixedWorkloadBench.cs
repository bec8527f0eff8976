using System.Diagnostics;
using AscendAio.Engine.Prompts;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Evaluation;

/// <summary>
/// The paper's evaluation: every configuration on every workload, each run for real as an interleaved trace through
/// the router. Per workload: one discarded warm-up pass over the trace's first requests for every cell, then
/// <see cref="BenchOptions.Repetitions"/> timed passes of the whole trace, the configurations in a freshly shuffled
/// (seeded) order each time, so drift of the machine falls on every configuration alike and a TPS ratio can be paired
/// by repetition. "random" dispatches 50/50; "random-matched" at aio's small share, taken from aio's routes over the
/// trace (probe only) before the timed passes. Models are reported under <paramref name="names"/> (null = the
/// bundles' own model names).
/// </summary>
public sealed class MixedWorkloadBench(RouterModels models, IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> suites,
    ModelNames? names = null)
{
    public (BenchResults Results, IReadOnlyDictionary<(string Config, string Workload), IReadOnlyList<RequestRecord>> Records) Run(
        BenchOptions options, MachineInfo machine, IReadOnlyList<ModelInfo> modelInfo, Action<BenchProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Repetitions);
        var clock = Stopwatch.StartNew();
        var scorer = new TaskScorer();
        var runner = new ConfigRunner(models, scorer, options.MaxTokensFor, names);
        var resolvedNames = names ?? ModelNames.FromBundles(models);
        var runs = new List<RunResult>();
        var records = new Dictionary<(string, string), IReadOnlyList<RequestRecord>>();
        var total = options.Workloads.Sum(w => CellsOf(options, w).Count) * (options.Repetitions + 1);
        var done = 0;
        for (var w = 0; w < options.Workloads.Count; w++)
        {
            var workload = options.Workloads[w];
            var cells = CellsOf(options, workload);
            var trace = TraceBuilder.Build(workload, options.RequestsFor(workload), options.Seed, family => suites[(family, Splits.Test)]);
            var matchedShare = cells.Any(c => c.Policy == RoutingPolicies.RandomMatched) ? AioSmallShare(trace, options) : options.Policy.RandomSmallShare;
            PolicyOptions PolicyFor(string policy) => PolicyOf(options, policy, matchedShare);

            var warmup = trace.Take(Math.Min(options.WarmupRequests, trace.Count)).ToList();
            foreach (var (label, policy) in cells)
            {
                if (warmup.Count > 0)
                    runner.Measure(policy, warmup, PolicyFor(policy), options.Seed);
                progress?.Invoke(new BenchProgress("run", ++done, total, $"{workload.Name}: warm-up {label}"));
            }

            var passes = cells.ToDictionary(c => c.Label, _ => new List<TracePass>());
            var order = new Random(options.Seed * 7919 + w);
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                var shuffled = cells.ToArray();
                order.Shuffle(shuffled);
                foreach (var (label, policy) in shuffled)
                {
                    var pass = runner.Measure(policy, trace, PolicyFor(policy), options.Seed,
                        n => progress?.Invoke(new BenchProgress("run", done, total, $"{workload.Name} rep {rep + 1}/{options.Repetitions}: {label} {n}/{trace.Count}")));
                    passes[label].Add(pass);
                    var tps = pass.WallSeconds > 0 ? pass.Records.Sum(r => r.GeneratedTokens) / pass.WallSeconds : 0;
                    progress?.Invoke(new BenchProgress("run", ++done, total, $"{workload.Name} rep {rep + 1}/{options.Repetitions}: {label} {tps:F1} tok/s"));
                }
            }
            foreach (var (label, _) in cells)
            {
                runs.Add(ConfigRunner.Aggregate(label, workload.Name, passes[label], models, resolvedNames));
                records[(label, workload.Name)] = passes[label][0].Records;
            }
            if (TheoreticalRow.Of(workload.Name, runs.Where(r => r.Workload == workload.Name).ToList(), resolvedNames) is { } theoretical)
                runs.Add(theoretical);
        }

        var ordered = runs.OrderBy(r => Rank(r.Config, options)).ThenBy(r => r.Config, StringComparer.Ordinal).ToList();
        var confusion = Confusion(options.ProbeRequests, progress);
        var longConfusion = LongConfusion(options.LongProbeRequests, progress);
        var results = new BenchResults
        {
            Machine = machine,
            Models = modelInfo,
            Settings = new BenchSettings(options.Requests, options.MaxTokens ?? options.MaxTokensFor(TaskFamilies.Code), options.Seed, options.SuiteSeed, options.Quick,
                "generated tokens ÷ wall time of the whole trace, routing, probe, prefill and decode included; the median over the repetitions",
                options.Repetitions, options.RequestsFor(Workload.ScenarioA), options.RequestsFor(Workload.Long)),
            Runs = ordered,
            Overhead = Overhead(records),
            ProbeConfusion = confusion,
            ProbeConfusionLong = longConfusion,
        };
        results = results with
        {
            ErrorPenalty = confusion is null ? null : ErrorPenaltyEstimate.PerScenario(results, confusion, options.Policy, longConfusion),
            RunSeconds = clock.Elapsed.TotalSeconds,
        };
        return (results, records);
    }

    /// <summary>
    /// A workload's cells as (label, policy): the configurations (on traces with long prompts those of
    /// <see cref="BenchOptions.LongTraceConfigs"/>, elsewhere all but <see cref="BenchOptions.LongOnlyConfigs"/>), and the
    /// placebo twin, its configuration again under another label.
    /// </summary>
    public static IReadOnlyList<(string Label, string Policy)> CellsOf(BenchOptions options, Workload workload)
    {
        var hasLong = workload.Slices.Any(s => s.Family == TaskFamilies.Long);
        var configs = hasLong
            ? options.Configs.Where(c => options.LongTraceConfigs is null || options.LongTraceConfigs.Contains(c))
            : options.Configs.Where(c => !BenchOptions.LongOnlyConfigs.Contains(c));
        var cells = configs.Select(c => (Label: c, Policy: c)).ToList();
        if (options.PlaceboTwin is { } twin && cells.Any(c => c.Policy == twin))
            cells.Add((options.PlaceboLabel!, twin));
        return cells;
    }

    /// <summary>
    /// The options a cell's policy runs with: the bench's seed; "random" at the paper's 50/50, "random-matched" at
    /// <paramref name="matchedShare"/> (aio's small share on the trace).
    /// </summary>
    public static PolicyOptions PolicyOf(BenchOptions options, string policy, double matchedShare) => options.Policy with
    {
        Seed = options.Seed,
        RandomSmallShare = policy == RoutingPolicies.Random ? BenchOptions.RandomSmallShare
            : policy == RoutingPolicies.RandomMatched ? matchedShare : options.Policy.RandomSmallShare,
    };

    private static int Rank(string config, BenchOptions options)
    {
        var i = Array.IndexOf(BenchOptions.AllConfigs, config);
        if (i >= 0)
            return i;
        return config == options.PlaceboLabel ? BenchOptions.AllConfigs.Length : config == TheoreticalRow.Config ? Array.IndexOf(BenchOptions.AllConfigs, "aio") : int.MaxValue;
    }

    /// <summary>aio's small share on the trace, from its routes alone (the probe runs, nothing is generated).</summary>
    private double AioSmallShare(IReadOnlyList<TaskItem> trace, BenchOptions options)
    {
        using var router = new AioRouter(models, RoutingPolicies.Create(RoutingPolicies.Aio, options.Policy with { Seed = options.Seed }),
            new RouterOptions { Seed = options.Seed });
        var small = 0;
        foreach (var item in trace)
        {
            using var routed = router.Route(RequestPrompt.User(item.Request), trueCategory: item.Category);
            if (routed.Decision.Model.IsSmall())
                small++;
        }
        return trace.Count == 0 ? 0 : (double)small / trace.Count;
    }

    /// <summary>Mean routing overhead of aio's requests on the mixed scenarios (all workloads when no scenario ran).</summary>
    private static OverheadBreakdown? Overhead(Dictionary<(string, string), IReadOnlyList<RequestRecord>> records)
    {
        var aio = records.Where(p => p.Key.Item1 == "aio").ToList();
        var scenarios = aio.Where(p => p.Key.Item2 is "A" or "B" or "C").ToList();
        var chosen = (scenarios.Count > 0 ? scenarios : aio).SelectMany(p => p.Value).ToList();
        if (chosen.Count == 0)
            return null;
        return new OverheadBreakdown(
            chosen.Average(r => r.Timings.TemplateMs),
            chosen.Average(r => r.Timings.ProbePrefillMs),
            chosen.Average(r => r.Timings.DecisionMs),
            chosen.Average(r => r.Timings.ModelSwitchMs),
            chosen.Average(r => r.Timings.GenerationMs),
            chosen.Count);
    }

    /// <summary>The probe on the held-out probe split (stratified: the split is grouped by category).</summary>
    private ConfusionMatrix? Confusion(int requests, Action<BenchProgress>? progress) =>
        ProbeConfusion(TaskFamilies.Probe, requests, "probe confusion matrix", progress);

    /// <summary>
    /// The probe on long prompts: the long test split's first items of each category (long code, long lookup, which is
    /// qa), half each. The probe reads them cut to the small model's context, as it does in the scenarios.
    /// </summary>
    private ConfusionMatrix? LongConfusion(int requests, Action<BenchProgress>? progress) =>
        ProbeConfusion(TaskFamilies.Long, requests, "probe confusion matrix, long prompts", progress);

    /// <summary>The probe on the first items of each category of <paramref name="family"/>'s test split, equal numbers of each.</summary>
    private ConfusionMatrix? ProbeConfusion(string family, int requests, string detail, Action<BenchProgress>? progress)
    {
        if (requests <= 0 || !suites.TryGetValue((family, Splits.Test), out var items))
            return null;
        var categories = items.Select(t => t.Category).Distinct().Count();
        var sample = items.GroupBy(t => t.Category).SelectMany(g => g.Take(Math.Max(1, requests / categories))).ToList();
        return SuiteEvaluator.ProbeConfusion(models.Small, sample,
            (done, total) => progress?.Invoke(new BenchProgress("probe", done, total, detail)));
    }
}
