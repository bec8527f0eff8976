using AscendAio.Engine.Generation;
using AscendAio.Evaluation.Statistics;
using AscendAio.Router;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Evaluation.Calibration;

/// <summary>One category's tokens/s on one route target: the median over repetitions with its interval.</summary>
public sealed record RouteSpeed(string Category, RouteTarget Target, int Requests, int Repetitions, Estimate Tps);

/// <summary>
/// Speeds from calibration samples timed in repetitions (<see cref="RunOutcome.RepetitionMs"/>). Repetition r of a
/// category on a target is the category's tokens over its requests' r-th timed runs; two targets pair by repetition,
/// since each repetition ran every target of a request back to back in a shuffled order. Samples timed once have no
/// repetitions and give no speed.
/// </summary>
public static class RouteSpeeds
{
    /// <summary>Per true category and target, in category then target order.</summary>
    public static IReadOnlyList<RouteSpeed> ByCategory(IReadOnlyList<CalibrationSample> samples)
    {
        var speeds = new List<RouteSpeed>();
        foreach (var group in samples.GroupBy(s => s.TrueCategory, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var target in group.SelectMany(s => s.Outcomes.Keys).Distinct().OrderBy(t => t.ToString(), StringComparer.Ordinal))
            {
                var runs = group.Select(s => s.Outcomes.GetValueOrDefault(target)).OfType<RunOutcome>().ToList();
                if (PerRepetition(runs) is { Length: > 0 } tps)
                    speeds.Add(new RouteSpeed(group.Key, target, runs.Count, tps.Length, BenchStatistics.MedianInterval(tps)));
            }
        }
        return speeds;
    }

    /// <summary>
    /// The tokens/s ratio <paramref name="strategy"/> ÷ <paramref name="baseline"/> of a category on one model, over the
    /// requests measured on both, paired by repetition; null when no request has repetitions on both.
    /// </summary>
    public static SpeedGain? Gain(IReadOnlyList<CalibrationSample> samples, string category, RouteTarget strategy, RouteTarget baseline)
    {
        var pairs = samples
            .Where(s => s.TrueCategory == category)
            .Select(s => (A: s.Outcomes.GetValueOrDefault(strategy), B: s.Outcomes.GetValueOrDefault(baseline)))
            .Where(p => p.A?.RepetitionMs is { Count: > 0 } a && p.B?.RepetitionMs is { } b && a.Count == b.Count)
            .ToList();
        if (pairs.Count == 0)
            return null;
        var a = PerRepetition(pairs.Select(p => p.A!).ToList());
        var b = PerRepetition(pairs.Select(p => p.B!).ToList());
        if (a.Length == 0 || a.Length != b.Length)
            return null;
        var ratio = BenchStatistics.RatioInterval(a, b);
        return new SpeedGain(ratio.Value, ratio.Low, ratio.High, ratio.Confidence, a.Length, pairs.Count);
    }

    /// <summary>Tokens/s of each repetition over the runs; empty when they were not all timed the same number of times.</summary>
    private static double[] PerRepetition(IReadOnlyList<RunOutcome> runs)
    {
        if (runs.Count == 0 || runs[0].RepetitionMs is not { Count: > 0 } first || runs.Any(r => r.RepetitionMs?.Count != first.Count))
            return [];
        var tokens = runs.Sum(r => (double)r.GeneratedTokens);
        return Enumerable.Range(0, first.Count).Select(i => runs.Sum(r => r.RepetitionMs![i]) is var ms and > 0 ? tokens / (ms / 1000) : 0).ToArray();
    }

    /// <summary>The switch's verdict on every slot of the policy, from the gains of its PLD over plain decoding.</summary>
    public static IReadOnlyList<StrategyVerdict> DecideStrategies(IReadOnlyList<CalibrationSample> samples, PolicyOptions policy) =>
        StrategySwitch.Slots(policy)
            .Select(slot => StrategySwitch.Decide(slot, Gain(samples, slot.Category, new RouteTarget(slot.Model, policy.Pld), new RouteTarget(slot.Model, DecodingStrategy.Plain))))
            .ToList();
}
