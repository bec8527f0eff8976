using System.Globalization;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation;

/// <summary>Two cells that route every request alike: their TPS ratio's interval must hold 1, else the machine was too noisy.</summary>
public sealed record PlaceboCheck(string Workload, string A, string B, Estimate Ratio)
{
    public bool Passed => Ratio.Contains(1);
}

/// <summary>
/// The report's conclusions, each only as far as its interval allows: accuracy differences on the same requests by
/// McNemar's test with the interval of the difference, TPS as the ratio of paired repetitions with its interval.
/// </summary>
public static class Verdicts
{
    /// <summary>TPS of <paramref name="a"/> over <paramref name="b"/>, paired by repetition; null without repetitions on both.</summary>
    public static Estimate? TpsRatio(RunResult a, RunResult b) =>
        a.TpsPerRepetition is { Count: > 0 } x && b.TpsPerRepetition is { Count: > 0 } y && x.Count == y.Count ? BenchStatistics.RatioInterval(x, y) : null;

    /// <summary>McNemar on the two cells' per-request correctness; null unless both ran the same requests.</summary>
    public static PairedComparison? Accuracy(RunResult a, RunResult b)
    {
        if (a.PerRequest is not { Count: > 0 } x || b.PerRequest is not { } y || x.Count != y.Count || !x.Select(r => r.Id).SequenceEqual(y.Select(r => r.Id)))
            return null;
        return BenchStatistics.McNemar(x.Select(r => r.Correct).ToArray(), y.Select(r => r.Correct).ToArray());
    }

    /// <summary>
    /// Per workload: every "X-twin" cell against X (the same configuration run twice), and aio against aio-no-entropy
    /// where the two routed every request alike.
    /// </summary>
    public static IReadOnlyList<PlaceboCheck> Placebos(BenchResults results)
    {
        var checks = new List<PlaceboCheck>();
        foreach (var workload in results.Runs.Select(r => r.Workload).Distinct())
        {
            var pairs = results.Runs.Where(r => r.Workload == workload && r.Config.EndsWith("-twin", StringComparison.Ordinal))
                .Select(t => (A: t.Config[..^"-twin".Length], B: t.Config)).Append(("aio", "aio-no-entropy"));
            foreach (var (a, b) in pairs)
            {
                if (Find(results, a, workload) is not { } x || Find(results, b, workload) is not { } y || !SameRoutes(x, y) || TpsRatio(x, y) is not { } ratio)
                    continue;
                checks.Add(new PlaceboCheck(workload, a, b, ratio));
            }
        }
        return checks;
    }

    /// <summary>The scenarios' placebo checks all passed (none ran counts as passed: there is nothing to withhold on).</summary>
    public static bool PlaceboPassed(BenchResults results) =>
        Placebos(results).Where(p => Workload.Scenarios.Any(s => s.Name == p.Workload)).All(p => p.Passed);

    /// <summary>Per scenario: aio against static-large (TPS at no significant loss of accuracy) and against static-small (accuracy).</summary>
    public static IEnumerable<string> Lines(BenchResults results)
    {
        var withheld = !PlaceboPassed(results);
        foreach (var scenario in Workload.Scenarios.Select(w => w.Name))
        {
            var aio = Find(results, "aio", scenario);
            var large = Find(results, "static-large", scenario);
            var small = Find(results, "static-small", scenario);
            if (aio is null || large is null || small is null)
                continue;
            var head = string.Create(CultureInfo.InvariantCulture,
                $"Scenario {scenario}: aio {aio.Accuracy:P1} @ {aio.Tps:F1} TPS vs static-large {large.Accuracy:P1} @ {large.Tps:F1} and static-small {small.Accuracy:P1} @ {small.Tps:F1}");
            if (withheld)
            {
                yield return head + " — verdict withheld: the placebo check failed (the machine was too noisy to tell configurations apart).";
                continue;
            }
            yield return $"{head} — aio {VersusLarge(aio, large)}; {VersusSmall(aio, small)}.";
        }
    }

    private static string VersusLarge(RunResult aio, RunResult large)
    {
        var ratio = TpsRatio(aio, large);
        var accuracy = Accuracy(aio, large);
        var evidence = $"TPS ×{Format(ratio)}, accuracy {FormatDifference(accuracy)}";
        var faster = ratio is { } r && r.Above(1);
        var slower = ratio is { } s && s.Below(1);
        var lessAccurate = accuracy is { } a && a.Significant() && a.Difference.Value < 0;
        var moreAccurate = accuracy is { } m && m.Significant() && m.Difference.Value > 0;
        var verdict = (faster, slower, lessAccurate) switch
        {
            (true, _, false) => moreAccurate ? "beats static-large (faster and more accurate)" : "beats static-large (faster, no significant accuracy loss)",
            (true, _, true) => "is faster than static-large but significantly less accurate",
            (_, true, _) => "is slower than static-large",
            _ => lessAccurate ? "shows no significant TPS difference from static-large and is significantly less accurate"
                : "shows no significant difference from static-large in TPS",
        };
        return $"{verdict} ({evidence})";
    }

    private static string VersusSmall(RunResult aio, RunResult small)
    {
        var accuracy = Accuracy(aio, small);
        var verdict = accuracy switch
        {
            { } a when a.Significant() && a.Difference.Value > 0 => "beats static-small on accuracy",
            { } a when a.Significant() && a.Difference.Value < 0 => "is less accurate than static-small",
            _ => "no significant accuracy difference from static-small",
        };
        return $"{verdict} ({FormatDifference(accuracy)})";
    }

    public static string Format(Estimate? e) => e is { } x
        ? string.Create(CultureInfo.InvariantCulture, $"{x.Value:F2} [{x.Low:F2}, {x.High:F2}]")
        : "n/a";

    public static string FormatDifference(PairedComparison? c) => c is { } x
        ? string.Create(CultureInfo.InvariantCulture,
            $"{x.Difference.Value * 100:+0.0;-0.0;0.0} pts [{x.Difference.Low * 100:+0.0;-0.0;0.0}, {x.Difference.High * 100:+0.0;-0.0;0.0}], McNemar p {(x.PValue < 0.001 ? "< 0.001" : "= " + x.PValue.ToString("0.###", CultureInfo.InvariantCulture))}")
        : "n/a";

    private static bool SameRoutes(RunResult a, RunResult b) =>
        a.PerRequest is { } x && b.PerRequest is { } y && x.Count == y.Count && x.Zip(y).All(p => p.First.Id == p.Second.Id && p.First.Route == p.Second.Route);

    private static RunResult? Find(BenchResults results, string config, string workload) =>
        results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == workload);
}
