using AscendAio.Router;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Evaluation;

/// <summary>
/// The paper's evaluation: every configuration on every workload, each run for real as an interleaved trace
/// through the router. "aio" runs first on each workload so the random baseline can use its measured share.
/// Models are reported under <paramref name="names"/> (null = the bundles' own model names).
/// </summary>
public sealed class MixedWorkloadBench(RouterModels models, IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> suites,
    ModelNames? names = null)
{
    public (BenchResults Results, IReadOnlyDictionary<(string Config, string Workload), IReadOnlyList<RequestRecord>> Records) Run(
        BenchOptions options, MachineInfo machine, IReadOnlyList<ModelInfo> modelInfo, Action<BenchProgress>? progress = null)
    {
        var scorer = new TaskScorer();
        var runner = new ConfigRunner(models, scorer, options.MaxTokensFor, names);
        var configs = options.Configs.OrderBy(c => c == "aio" ? 0 : 1).ToList(); // stable: keeps the given order otherwise
        var runs = new List<RunResult>();
        var records = new Dictionary<(string, string), IReadOnlyList<RequestRecord>>();
        var total = options.Workloads.Count * configs.Count;
        var done = 0;
        foreach (var workload in options.Workloads)
        {
            var trace = TraceBuilder.Build(workload, options.Requests, options.Seed, family => suites[(family, Splits.Test)]);
            double? aioSmallShare = null;
            foreach (var config in configs)
            {
                var policy = options.Policy with { Seed = options.Seed, RandomSmallShare = aioSmallShare ?? options.Policy.RandomSmallShare };
                var (result, requests) = runner.Run(config, workload, trace, policy, options.Seed,
                    n => progress?.Invoke(new BenchProgress("run", done, total, $"{config} on {workload.Name}: {n}/{trace.Count}")));
                if (config == "aio")
                    aioSmallShare = result.SmallShare;
                runs.Add(result);
                records[(config, workload.Name)] = requests;
                progress?.Invoke(new BenchProgress("run", ++done, total, $"{config} on {workload.Name}: acc {result.Accuracy:P0}, {result.Tps:F1} tok/s"));
            }
        }

        var ordered = runs.OrderBy(r => Array.IndexOf(BenchOptions.AllConfigs, r.Config)).ThenBy(r => r.Config, StringComparer.Ordinal).ToList();
        var results = new BenchResults
        {
            Machine = machine,
            Models = modelInfo,
            Settings = new BenchSettings(options.Requests, options.MaxTokens ?? options.MaxTokensFor(TaskFamilies.Code), options.Seed, options.SuiteSeed, options.Quick,
                "generated tokens ÷ wall time of the whole trace, routing, probe, prefill and decode included"),
            Runs = ordered,
            Overhead = Overhead(records),
            ProbeConfusion = Confusion(options.ProbeRequests, progress),
        };
        return (results, records);
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
    private ConfusionMatrix? Confusion(int requests, Action<BenchProgress>? progress)
    {
        if (requests <= 0 || !suites.TryGetValue((TaskFamilies.Probe, Splits.Test), out var items))
            return null;
        var categories = items.Select(t => t.Category).Distinct().Count();
        var sample = items.GroupBy(t => t.Category).SelectMany(g => g.Take(Math.Max(1, requests / categories))).ToList();
        return SuiteEvaluator.ProbeConfusion(models.Small, sample,
            (done, total) => progress?.Invoke(new BenchProgress("probe", done, total, "probe confusion matrix")));
    }
}
