using AscendAio.Evaluation.Statistics;
using AscendAio.Router;

namespace AscendAio.Evaluation;

/// <summary>
/// The paper's "A-IO (theoretical)": every request served by the best of A-IO's choices known in hindsight, the
/// choices being the small or the large model with plain decoding or PLD (the static-small, static-large, small-pld
/// and large-pld cells of the same workload, which ran the same requests). The best choice is the fastest correct one,
/// or the fastest when none is correct. TPS is the chosen choices' tokens over their median latencies, with no
/// probe cost: an upper bound no router reaches, so it has no interval.
/// </summary>
public static class TheoreticalRow
{
    public const string Config = "aio-theoretical";

    /// <summary>The choices, with the model each runs.</summary>
    public static readonly IReadOnlyList<(string Config, ModelRole Model)> Choices =
        [("static-small", ModelRole.Small), ("static-large", ModelRole.Large), ("small-pld", ModelRole.Small), ("large-pld", ModelRole.Large)];

    /// <summary>The row for one workload, or null when a choice's cell did not run there.</summary>
    public static RunResult? Of(string workload, IReadOnlyList<RunResult> runs, ModelNames names)
    {
        var cells = Choices.Select(c => (c.Model, Run: runs.FirstOrDefault(r => r.Config == c.Config && r.Workload == workload))).ToList();
        if (cells.Any(c => c.Run?.PerRequest is null))
            return null;
        var n = cells[0].Run!.PerRequest!.Count;
        var chosen = new List<(RequestOutcome Outcome, ModelRole Model)>(n);
        for (var i = 0; i < n; i++)
        {
            var options = cells.Select(c => (Outcome: c.Run!.PerRequest![i], c.Model)).ToList();
            var correct = options.Where(o => o.Outcome.Correct).ToList();
            chosen.Add((correct.Count > 0 ? correct : options).MinBy(o => o.Outcome.LatencyMs));
        }
        var tokens = chosen.Sum(c => (long)c.Outcome.Tokens);
        var seconds = chosen.Sum(c => c.Outcome.LatencyMs) / 1000;
        var right = chosen.Count(c => c.Outcome.Correct);
        var latencies = chosen.Select(c => c.Outcome.LatencyMs).ToArray();
        return new RunResult
        {
            Config = Config,
            Workload = workload,
            Requests = n,
            Accuracy = n == 0 ? 0 : (double)right / n,
            AccuracyInterval = n == 0 ? null : BenchStatistics.Wilson(right, n),
            Tps = seconds > 0 ? tokens / seconds : 0,
            LatencyMsMean = latencies.Length == 0 ? 0 : latencies.Average(),
            LatencyMsP95 = BenchStatistics.Percentile(latencies, 0.95),
            Share = ConfigRunner.ModelShares(chosen.Select(c => c.Model), n, names),
            SmallShare = ConfigRunner.SmallShare(chosen.Select(c => c.Model), n),
            GeneratedTokens = tokens,
            WallSeconds = seconds,
            WeightBytesPerToken = 0,
            Repetitions = 0,
            Derived = "each request's fastest correct choice (else fastest) among " + string.Join(", ", Choices.Select(c => c.Config)) + ", known in hindsight; no probe cost",
            PerRequest = chosen.Select(c => c.Outcome).ToList(),
        };
    }
}
