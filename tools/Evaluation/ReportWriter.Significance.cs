using System.Globalization;
using System.Text;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation;

/// <summary>The report's sections on repetitions, intervals, the placebo check, the hindsight row and the §5.2 error penalty.</summary>
public static partial class ReportWriter
{
    private static string Interval(Estimate? e, string format) => e is { } x
        ? string.Create(CultureInfo.InvariantCulture, $"[{x.Low.ToString(format, CultureInfo.InvariantCulture)}, {x.High.ToString(format, CultureInfo.InvariantCulture)}]")
        : "–";

    private static void AppendPlacebo(StringBuilder s, BenchResults results)
    {
        var checks = Evaluation.Verdicts.Placebos(results);
        if (checks.Count == 0)
            return;
        s.AppendLine("## Placebo check (cells that route every request alike must not differ in TPS)").AppendLine();
        s.AppendLine("| workload | A | B | TPS A ÷ B, median [interval] | coverage | result |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var c in checks)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Workload} | {c.A} | {c.B} | {Evaluation.Verdicts.Format(c.Ratio)} | {c.Ratio.Confidence:P1} | {(c.Passed ? "holds 1: pass" : "**excludes 1: fail**")} |"));
        }
        s.AppendLine();
        s.AppendLine(Evaluation.Verdicts.PlaceboPassed(results)
            ? "Every scenario's placebo interval holds 1: the verdicts above stand."
            : "**A scenario's placebo interval excludes 1: the machine was too noisy, and the verdicts are withheld.**").AppendLine();
    }

    private static void AppendIntervals(StringBuilder s, BenchResults results)
    {
        var runs = results.Runs.Where(r => r.Workload is "A" or "B" or "C").ToList();
        if (runs.Count == 0)
            return;
        s.AppendLine("## Mixed workloads with intervals").AppendLine();
        s.AppendLine("| scenario | config | n | accuracy [Wilson 95 %] | TPS median [interval] | reps | TPS ÷ static-large [interval] | accuracy − static-large (McNemar) |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var run in runs.OrderBy(r => r.Workload, StringComparer.Ordinal))
        {
            var large = results.Runs.FirstOrDefault(r => r.Config == "static-large" && r.Workload == run.Workload);
            var ratio = large is null || run.Config == "static-large" ? null : Evaluation.Verdicts.TpsRatio(run, large);
            var accuracy = large is null || run.Config == "static-large" ? null : Evaluation.Verdicts.Accuracy(run, large);
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run.Workload} | {run.Config} | {run.Requests} | {run.Accuracy:P1} {Interval(run.AccuracyInterval, "P0")} | {run.Tps:F1} {Interval(run.TpsInterval, "F1")} | {run.Repetitions} | " +
                $"{(ratio is null ? "–" : Evaluation.Verdicts.Format(ratio))} | {(accuracy is null ? "–" : Evaluation.Verdicts.FormatDifference(accuracy))} |"));
        }
        s.AppendLine();
    }

    private static void AppendTheoretical(StringBuilder s, BenchResults results)
    {
        var scenarios = Workload.Scenarios.Select(w => w.Name).Where(w => results.Runs.Any(r => r.Workload == w && r.Config == TheoreticalRow.Config)).ToList();
        if (scenarios.Count == 0)
            return;
        s.AppendLine("## A-IO theoretical, actual and oracle").AppendLine();
        s.AppendLine($"A-IO (theoretical): {results.Runs.First(r => r.Config == TheoreticalRow.Config).Derived}.").AppendLine();
        s.AppendLine("| scenario | row | accuracy [Wilson 95 %] | TPS [interval] |");
        s.AppendLine("|---|---|---|---|");
        foreach (var scenario in scenarios)
        {
            foreach (var config in new[] { TheoreticalRow.Config, "aio", "oracle" })
            {
                if (results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == scenario) is { } run)
                    s.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {scenario} | {config} | {run.Accuracy:P1} {Interval(run.AccuracyInterval, "P0")} | {run.Tps:F1} {Interval(run.TpsInterval, "F1")} |"));
            }
        }
        s.AppendLine();
        foreach (var scenario in scenarios)
        {
            var aio = results.Runs.FirstOrDefault(r => r.Config == "aio" && r.Workload == scenario);
            var oracle = results.Runs.FirstOrDefault(r => r.Config == "oracle" && r.Workload == scenario);
            if (aio is null || oracle is null)
                continue;
            s.AppendLine($"- Scenario {scenario}, gap to the oracle: accuracy {Evaluation.Verdicts.FormatDifference(Evaluation.Verdicts.Accuracy(aio, oracle))}; " +
                $"TPS aio ÷ oracle ×{Evaluation.Verdicts.Format(Evaluation.Verdicts.TpsRatio(aio, oracle))}.");
        }
        s.AppendLine();
        AppendProbeCost(s, results, scenarios);
    }

    private static void AppendProbeCost(StringBuilder s, BenchResults results, IReadOnlyList<string> scenarios)
    {
        var rows = scenarios.Select(w => results.Runs.FirstOrDefault(r => r.Config == "aio" && r.Workload == w))
            .Where(r => r?.PerRequest is { Count: > 0 }).ToList();
        if (rows.Count == 0)
            return;
        s.AppendLine("Routing overhead (probe template, probe prefill, decision) per scenario, aio's first timed repetition:").AppendLine();
        s.AppendLine("| scenario | mean ms | median ms | p95 ms | share of mean latency |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var run in rows)
        {
            var probe = run!.PerRequest!.Select(r => r.ProbeMs).ToArray();
            var share = run.LatencyMsMean > 0 ? probe.Average() / run.LatencyMsMean : 0;
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run.Workload} | {probe.Average():F2} | {BenchStatistics.Median(probe):F2} | {BenchStatistics.Percentile(probe, 0.95):F2} | {share:P1} |"));
        }
        s.AppendLine();
    }

    private static void AppendErrorPenalty(StringBuilder s, BenchResults results)
    {
        if (results.ErrorPenalty is not { Count: > 0 } rows)
            return;
        s.AppendLine("## Error penalty (§5.2): the rules under the probe's confusion matrix against the oracle").AppendLine();
        s.AppendLine("E[acc] = Σ_c π_c Σ_ĉ P(ĉ|c) acc(c, T(ĉ)): P from the probe confusion matrix below, T the policy's category rules, acc and cost from the per-task cells; τ and the context rule are left out.").AppendLine();
        s.AppendLine("| scenario | expected accuracy | oracle accuracy | penalty | expected TPS | oracle TPS |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Workload} | {row.ExpectedAccuracy:P1} | {row.OracleAccuracy:P1} | {row.AccuracyPenalty * 100:F1} pts | {row.ExpectedTps:F1} | {row.OracleTps:F1} |"));
        }
        s.AppendLine();
    }
}
