using System.Globalization;
using System.Text;

namespace AscendAio.Evaluation;

/// <summary>Renders results as Markdown tables (report.md, and the console, which prints the same tables).</summary>
public static class ReportWriter
{
    public static readonly string[] AblationConfigs = ["aio-no-model-routing", "aio-no-pld-switch", "aio-no-entropy", "aio"];

    public static string Markdown(BenchResults results)
    {
        var s = new StringBuilder();
        s.AppendLine("# A-IO evaluation report").AppendLine();
        s.AppendLine(HowMeasured(results)).AppendLine();
        AppendTable(s, "Per-task results (Table 3): accuracy / TPS", results, Workload.PerTask.Select(w => w.Name), null);
        AppendTable(s, "Mixed workloads (Table 4): accuracy / TPS", results, Workload.Scenarios.Select(w => w.Name), null);
        AppendScenarioDetail(s, results);
        AppendTable(s, "Ablations on scenario A (Table 5): accuracy / TPS", results, ["A"], AblationConfigs);
        AppendVerdicts(s, results);
        AppendOverhead(s, results);
        AppendConfusion(s, results);
        AppendBandwidth(s, results);
        return s.ToString();
    }

    public static string HowMeasured(BenchResults r) =>
        $"Measured on {r.Machine.Device} ({r.Machine.Cpus} CPUs, {r.Machine.Os}; AscendCL library `{r.Machine.AclLibrary}`). " +
        $"Each cell runs its workload's request trace ({r.Settings.Requests} requests per workload, trace seed {r.Settings.Seed}, task suites of seed {r.Settings.SuiteSeed}, " +
        $"greedy, at most {r.Settings.MaxTokens} new tokens) through the router, one request after another. " +
        $"Accuracy: the task suite's scorer on the completion (code: pass@1 by executing it on hidden inputs; qa: exact match; " +
        $"math: final number). TPS: {r.Settings.TpsDefinition}. Accuracy is reproducible by seed; TPS varies with the machine." +
        (r.Settings.Quick ? " **Quick run: tiny sample, for smoke testing only.**" : "");

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
                $"| {run.Workload} | {run.Config} | {run.Accuracy:P1} | {run.Tps:F1} | {run.LatencyMsMean:F0} | {run.LatencyMsP95:F0} | {small:P0} / {1 - small:P0} | {(run.PldAcceptance is { } a ? a.ToString("P0", CultureInfo.InvariantCulture) : "–")} | {run.WeightBytesPerToken / 1e6:F2} |"));
        }
        s.AppendLine();
    }

    /// <summary>Per scenario: does aio beat static-large on TPS at equal-or-better accuracy, and static-small on accuracy?</summary>
    public static IEnumerable<string> Verdicts(BenchResults results)
    {
        foreach (var scenario in Workload.Scenarios.Select(w => w.Name))
        {
            var aio = Find(results, "aio", scenario);
            var large = Find(results, "static-large", scenario);
            var small = Find(results, "static-small", scenario);
            if (aio is null || large is null || small is null)
                continue;
            var vsLarge = aio.Tps > large.Tps && aio.Accuracy >= large.Accuracy
                ? "beats static-large (higher TPS at equal-or-better accuracy)"
                : aio.Tps > large.Tps
                    ? $"is faster than static-large but {large.Accuracy - aio.Accuracy:P1} less accurate"
                    : "is not faster than static-large";
            var vsSmall = aio.Accuracy > small.Accuracy ? "beats static-small on accuracy" : "does not beat static-small on accuracy";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Scenario {scenario}: aio {aio.Accuracy:P1} @ {aio.Tps:F1} TPS vs static-large {large.Accuracy:P1} @ {large.Tps:F1} and static-small {small.Accuracy:P1} @ {small.Tps:F1} — aio {vsLarge}, and {vsSmall}.");
        }
    }

    private static void AppendVerdicts(StringBuilder s, BenchResults results)
    {
        var lines = Verdicts(results).ToList();
        if (lines.Count == 0)
            return;
        s.AppendLine("## Verdict, from the numbers above").AppendLine();
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

    private static void AppendConfusion(StringBuilder s, BenchResults results)
    {
        if (results.ProbeConfusion is not { } c)
            return;
        s.AppendLine($"## Probe confusion matrix (rows: true, columns: predicted; accuracy {c.Accuracy:P1})").AppendLine();
        s.AppendLine("| true \\ predicted | " + string.Join(" | ", c.Labels) + " |");
        s.AppendLine("|---|" + string.Concat(c.Labels.Select(_ => "---|")));
        for (var i = 0; i < c.Labels.Count; i++)
            s.AppendLine($"| {c.Labels[i]} | " + string.Join(" | ", c.Counts[i]) + " |");
        s.AppendLine();
    }

    private static void AppendBandwidth(StringBuilder s, BenchResults results)
    {
        if (results.BandwidthStudy is not { Count: > 0 } runs)
            return;
        s.AppendLine("## Bandwidth study (throughput only — accuracy is NOT measured here)").AppendLine();
        s.AppendLine("The routing decisions of each configuration above are replayed on a memory-bound random-weight pair exported by the same exporter at a 1:7 size ratio; only tokens/s and bytes streamed are meaningful.").AppendLine();
        s.AppendLine("| workload | config | TPS | weight MB / token | share small |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var run in runs)
        {
            var small = run.SmallShare;
            s.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {run.Workload} | {run.Config} | {run.Tps:F2} | {run.WeightBytesPerToken / 1e6:F1} | {small:P0} |"));
        }
        s.AppendLine();
    }

    private static RunResult? Find(BenchResults results, string config, string workload) =>
        results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == workload);
}
