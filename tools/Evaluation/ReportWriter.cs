using System.Globalization;
using System.Text;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation;

/// <summary>Renders results as Markdown tables (report.md, and the console, which prints the same tables).</summary>
public static partial class ReportWriter
{
    public static readonly string[] AblationConfigs = ["aio-no-model-routing", "aio-no-pld-switch", "aio-no-entropy", "aio"];

    public static string Markdown(BenchResults results)
    {
        var s = new StringBuilder();
        s.AppendLine("# A-IO evaluation report").AppendLine();
        s.AppendLine(HowMeasured(results)).AppendLine();
        AppendTable(s, "Per-task results (Table 3): accuracy / TPS", results, Workload.PerTask.Select(w => w.Name), null);
        AppendTable(s, "Mixed workloads (Table 4): accuracy / TPS", results, Workload.Scenarios.Select(w => w.Name), null);
        AppendContextScaling(s, results);
        AppendScenarioDetail(s, results);
        AppendTable(s, "Ablations on scenario A (Table 5): accuracy / TPS", results, ["A"], AblationConfigs);
        AppendVerdicts(s, results);
        AppendPlacebo(s, results);
        AppendIntervals(s, results);
        AppendTheoretical(s, results);
        AppendErrorPenalty(s, results);
        AppendLongProbe(s, results);
        AppendOverhead(s, results);
        AppendConfusion(s, results);
        return s.ToString();
    }

    public static string HowMeasured(BenchResults r) =>
        $"Measured on {r.Machine.Device} ({r.Machine.Cpus} CPUs, {r.Machine.Os}; AscendCL library `{r.Machine.AclLibrary}`). " +
        $"Each cell runs its workload's request trace ({r.Settings.Requests} requests per short task workload, {r.Settings.ScenarioRequests} per scenario A, B and C, {r.Settings.LongRequests} for the long workload, trace seed {r.Settings.Seed}, task suites of seed {r.Settings.SuiteSeed}, " +
        $"greedy, at most {r.Settings.MaxTokens} new tokens) through the router, one request after another; " +
        $"after one discarded warm-up pass, {r.Settings.Repetitions} timed repetitions of every cell, the configurations in a freshly shuffled order each repetition. " +
        $"Accuracy: the task suite's scorer on the completion (code: pass@1 by executing it on hidden inputs; qa: exact match; " +
        $"math: final number), with Wilson's 95 % interval. TPS: {r.Settings.TpsDefinition}, with the order-statistic interval of that median " +
        $"({MedianIntervalText(r.Settings.Repetitions)}). Accuracy is reproducible by seed; TPS varies with the machine." +
        (r.RunSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $" The run took {r.RunSeconds / 60:F1} min.") : "") +
        (r.Settings.Quick ? " **Quick run: tiny sample, for smoke testing only.**" : "");

    /// <summary>Which order statistics the median's interval is over <paramref name="repetitions"/> values, and its coverage.</summary>
    public static string MedianIntervalText(int repetitions)
    {
        if (repetitions < 2)
            return $"{repetitions} repetition: no interval";
        // The ranks the interval takes do not depend on the values: read them off the ranks 1..n.
        var ranks = BenchStatistics.MedianInterval(Enumerable.Range(1, repetitions).Select(i => (double)i).ToArray());
        var span = ranks.Low <= 1 ? "[min, max]" : string.Create(CultureInfo.InvariantCulture, $"[x({ranks.Low:F0}), x({ranks.High:F0})] of the sorted values");
        return string.Create(CultureInfo.InvariantCulture, $"{repetitions} repetitions: {span}, {ranks.Confidence * 100:0.##} % coverage");
    }

    public static void AppendTable(StringBuilder s, string title, BenchResults results, IEnumerable<string> workloads, IReadOnlyList<string>? configs)
    {
        var columns = workloads.Where(w => results.Runs.Any(r => r.Workload == w)).ToList();
        if (columns.Count == 0)
            return;
        var rows = configs ?? results.Runs.Select(r => r.Config).Distinct().ToList();
        s.AppendLine($"## {title}").AppendLine();
        s.AppendLine("| config | " + string.Join(" | ", columns) + " |");
        s.AppendLine("|---|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var config in rows)
        {
            var cells = columns.Select(w => results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == w) is { } run
                ? $"{run.Accuracy:P0} / {run.Tps:F1}" + (run.MovedToLargeForContext > 0 ? $" †{run.MovedToLargeForContext}" : "")
                : "–");
            s.AppendLine($"| {config} | " + string.Join(" | ", cells) + " |");
        }
        s.AppendLine();
        if (results.Runs.Any(r => r.MovedToLargeForContext > 0 && rows.Contains(r.Config) && columns.Contains(r.Workload)))
        {
            s.AppendLine("† n: n of the cell's requests were over the chosen model's context, and the router ran them on the large model " +
                "instead (`RouterOptions.LargeWhenPromptDoesNotFit`), so the cell is partly the large model's figure, not the configuration's own.");
            s.AppendLine();
        }
    }

    private static void AppendScenarioDetail(StringBuilder s, BenchResults results)
    {
        var runs = results.Runs.Where(r => r.Workload is "A" or "B" or "C").ToList();
        if (runs.Count == 0)
            return;
        s.AppendLine("## Mixed workloads in detail").AppendLine();
        s.AppendLine("| scenario | config | accuracy | TPS | latency mean ms | latency p95 ms | share small / large | PLD acceptance | weight MB / token |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs.OrderBy(r => r.Workload, StringComparer.Ordinal))
        {
            var small = run.SmallShare;
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run.Workload} | {run.Config} | {run.Accuracy:P1} | {run.Tps:F1} | {run.LatencyMsMean:F0} | {run.LatencyMsP95:F0} | {small:P0} / {1 - small:P0} | {(run.PldAcceptance is { } a ? a.ToString("P0", CultureInfo.InvariantCulture) : "–")} | {(run.WeightBytesPerToken > 0 ? (run.WeightBytesPerToken / 1e6).ToString("F2", CultureInfo.InvariantCulture) : "–")} |"));
        }
        s.AppendLine();
    }

    /// <summary>Per scenario: does aio beat static-large on TPS at no significant accuracy loss, and static-small on accuracy?</summary>
    public static IEnumerable<string> Verdicts(BenchResults results) => Evaluation.Verdicts.Lines(results);

    private static void AppendVerdicts(StringBuilder s, BenchResults results)
    {
        var lines = Verdicts(results).ToList();
        if (lines.Count == 0)
            return;
        s.AppendLine("## Verdict, from the numbers above (95 % intervals; \"beats\" only where the interval says so)").AppendLine();
        foreach (var line in lines)
            s.AppendLine("- " + line);
        s.AppendLine();
    }

    private static void AppendOverhead(StringBuilder s, BenchResults results)
    {
        if (results.Overhead is not { } o)
            return;
        s.AppendLine("## Routing overhead per request (aio, all scenarios)").AppendLine();
        s.AppendLine("| template ms | probe prefill ms | decision ms | model switch ms | generation ms | overhead share |");
        s.AppendLine("|---|---|---|---|---|---|");
        s.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {o.TemplateMs:F3} | {o.ProbePrefillMs:F2} | {o.DecisionMs:F3} | {o.ModelSwitchMs:F3} | {o.GenerationMs:F1} | {o.OverheadShare:P1} |"));
        s.AppendLine().AppendLine($"Means over {o.Requests} routed requests. Model switch: from the end of the decision to the first forward pass of the chosen model.").AppendLine();
    }

    private static RunResult? Find(BenchResults results, string config, string workload) =>
        results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == workload);
}
