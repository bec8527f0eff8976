using System.Globalization;
using System.Text;
using AscendAio.Router.Policies;
using AscendAio.Tasks;

namespace AscendAio.Evaluation;

public static partial class ReportWriter
{
    /// <summary>
    /// Where the context rule alone sends a request to the large model, the probe only picks its strategy: aio (probe
    /// on every request) against aio-no-long-probe (no probe there, the fallback strategy), on the traces with long prompts.
    /// </summary>
    private static void AppendLongProbe(StringBuilder s, BenchResults results)
    {
        var workloads = results.Runs.Select(r => r.Workload).Distinct()
            .Where(w => Find(results, "aio", w) is not null && Find(results, RoutingPolicies.AioNoLongProbe, w) is not null).ToList();
        if (workloads.Count == 0)
            return;
        s.AppendLine("## Long prompts: aio with and without the probe where the context rule decides the model").AppendLine();
        s.AppendLine($"A prompt over every small-model rule's context limit goes to the large model whatever the probe says; the probe then " +
            $"only picks the strategy. `{RoutingPolicies.AioNoLongProbe}` skips it there and decodes with the policy's fallback strategy.").AppendLine();
        s.AppendLine("| workload | config | accuracy [Wilson 95 %] | TPS median [interval] | long requests: probe ms mean | long requests: routes |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var workload in workloads)
        {
            foreach (var config in new[] { "aio", RoutingPolicies.AioNoLongProbe })
            {
                var run = Find(results, config, workload)!;
                var longOnes = run.PerRequest?.Where(r => r.Id.StartsWith(TaskFamilies.Long + "-", StringComparison.Ordinal)).ToList() ?? [];
                var routes = string.Join(", ", longOnes.GroupBy(r => r.Route).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ×{g.Count()}"));
                s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {workload} | {config} | {run.Accuracy:P1} {Interval(run.AccuracyInterval, "P0")} | {run.Tps:F1} {Interval(run.TpsInterval, "F1")} | " +
                    $"{(longOnes.Count > 0 ? longOnes.Average(r => r.ProbeMs).ToString("F2", CultureInfo.InvariantCulture) : "–")} | {(routes.Length > 0 ? routes : "–")} |"));
            }
        }
        s.AppendLine();
        foreach (var workload in workloads)
        {
            var with = Find(results, "aio", workload)!;
            var without = Find(results, RoutingPolicies.AioNoLongProbe, workload)!;
            s.AppendLine($"- {workload}: TPS without ÷ with the long probe ×{Evaluation.Verdicts.Format(Evaluation.Verdicts.TpsRatio(without, with))}; " +
                $"accuracy without − with {Evaluation.Verdicts.FormatDifference(Evaluation.Verdicts.Accuracy(without, with))}.");
        }
        s.AppendLine();
    }

    private static void AppendConfusion(StringBuilder s, BenchResults results)
    {
        AppendConfusion(s, results.ProbeConfusion, "held-out probe split, short prompts");
        AppendConfusion(s, results.ProbeConfusionLong, "long prompts: the long test split's code and locker-lookup (qa) items, read cut to the small model's context");
    }

    private static void AppendConfusion(StringBuilder s, ConfusionMatrix? c, string what)
    {
        if (c is null)
            return;
        s.AppendLine($"## Probe confusion matrix, {what} (rows: true, columns: predicted; accuracy {c.Accuracy:P1}, n {c.Counts.Sum(r => r.Sum())})").AppendLine();
        s.AppendLine("| true \\ predicted | " + string.Join(" | ", c.Labels) + " |");
        s.AppendLine("|---|" + string.Concat(c.Labels.Select(_ => "---|")));
        for (var i = 0; i < c.Labels.Count; i++)
            s.AppendLine($"| {c.Labels[i]} | " + string.Join(" | ", c.Counts[i]) + " |");
        s.AppendLine();
    }
}
