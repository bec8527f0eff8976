using System.Globalization;
using System.Text;
using AscendAio.Router;
using AscendAio.Router.Calibration;

namespace AscendAio.Evaluation.Calibration;

// tools/Evaluation has a ConfusionMatrix of its own (the bench's results); calibration uses the router's.
using ConfusionMatrix = AscendAio.Router.Calibration.ConfusionMatrix;

/// <summary>The console's rendering of a <see cref="CalibrationReport"/>: plain text, one finding per paragraph.</summary>
public static class CalibrationReportText
{
    public static string Format(CalibrationReport r)
    {
        var sb = new StringBuilder();
        void Line(string text) => sb.AppendLine(text);

        if (r.Measurement is { } m)
        {
            Line($"calibration: {r.Samples} requests of {string.Join(", ", m.RequestsByFamily.Select(p => $"{p.Value} {p.Key}"))}; targets {string.Join(", ", m.Targets)}; " +
                 $"{m.TokenLimits}; each target timed {m.Repetitions} times per request, interleaved in a shuffled order, after one warm-up run; " +
                 $"reuse token mismatches {m.ReuseMismatches}; repetition token mismatches {m.RepetitionMismatches}; measured in {m.Seconds:F0} s");
        }
        else
        {
            Line($"calibration: {r.Samples} samples from a sample file");
        }
        Line($"\nprobe confusion on the calibration split:\n{r.Confusion.Format()}");
        Cost(sb, "calibration", r.ProbeCost);
        if (r.Reuse is { } u)
        {
            Line($"prefix reuse on the small model ({u.Requests} requests that fit): prefill {u.FreshPrefillMs:F3} ms fresh → {u.ReusedPrefillMs:F3} ms from the probe's cache " +
                 $"(saves {u.FreshPrefillMs - u.ReusedPrefillMs:F3} ms, {1 - u.ReusedPrefillMs / u.FreshPrefillMs:P0} of the prefill; {u.MeanContextTokens:F0} prompt tokens)");
        }

        Line($"\ntokens/s per true category and route (median over repetitions [interval]):");
        if (r.Speeds.Count == 0)
            Line($"  none: the samples were timed once (an older sample file), so no strategy can show a significant gain");
        foreach (var s in r.Speeds)
            Line($"  {s.Category,-5} {s.Target,-16} {s.Tps.Value,9:F1} [{s.Tps.Low:F1}, {s.Tps.High:F1}] ({s.Tps.Confidence:P1}, {s.Repetitions} repetitions of {s.Requests} requests)");
        Line($"\nstrategy switch (PLD on only where the interval of its tokens/s ratio to plain lies above 1):");
        foreach (var v in r.Strategies)
            Line($"  {v.Slot,-24} {(v.On ? "PLD" : "plain"),-5} {v.Reason}");
        foreach (var v in r.Strategies.Where(v => v.OverridesPaper))
            Line($"  note: PLD is on for {v.Slot}, against the paper's rule (PLD off for code), on a significant measured gain {v.Gain}");

        var best = r.Search.Best;
        Line($"\nobjective: {r.Search.Objective}");
        Line($"{(r.Search.Feasible ? "calibrated" : "no τ meets the floor; closest:")} τ = {Tau(best.Tau)}: {best.Score}");
        Line($"\nreplayed on the calibration split ({r.Samples} requests):");
        foreach (var row in r.Replays)
            Line($"  {row.Baseline.Label,-22} {row.Score}");
        Line($"  gap to the oracle router: accuracy {(best.Score.Accuracy - r.Oracle.Accuracy) * 100:+0.0;-0.0} points, " +
             $"{best.Score.TokensPerSecond - r.Oracle.TokensPerSecond:+0.0;-0.0} tok/s ({best.Score.TokensPerSecond / r.Oracle.TokensPerSecond - 1:+0.0%;-0.0%})");
        var p = r.Penalty;
        Line($"\nerror-penalty analysis (category averages, measured confusion): expected accuracy {p.UnderConfusion.Accuracy:P1}, " +
             $"{p.UnderConfusion.TokensPerSecond:F1} tok/s; oracle {p.Oracle.Accuracy:P1}, {p.Oracle.TokensPerSecond:F1} tok/s; " +
             $"penalty {p.AccuracyPenalty * 100:F1} points, {p.ThroughputPenalty:F1} tok/s");

        if (r.Adaptive is { } a)
        {
            Line($"\nadaptive PLD (replay in request order, policy: PLD for every category): PLD always {a.Report.Static.TokensPerSecond:F1} tok/s, " +
                 $"plain always {a.PlainEverywhere.TokensPerSecond:F1} tok/s, adaptive {a.Report.Adaptive.TokensPerSecond:F1} tok/s ({a.Report.PlainRuns} of the PLD decisions ran plain)");
            foreach (var arm in a.Report.Arms)
                Line($"  {arm.Category,-5} on {arm.Model.RoleName(),-9} context ≤ {arm.ContextBucket,-5} PLD {arm.PldMsPerToken:F2} ms/token ({arm.PldRuns} runs, acceptance {arm.Acceptance:F2}), " +
                     $"plain {arm.PlainMsPerToken:F2} ms/token ({arm.PlainRuns} runs) → PLD {(arm.PldEnabled ? "on" : "off")}");
        }
        if (r.Holdout is { } held && r.HoldoutProbeCost is { } heldCost)
        {
            Line($"\nprobe confusion on {held.Total} held-out requests (probe/test):\n{held.Format()}");
            Cost(sb, "held-out", heldCost);
        }
        if (r.EndToEnd is { Count: > 0 } rows)
        {
            Line($"\nend to end through the router on the test requests (policies taking turns on each request):");
            foreach (var e in rows)
            {
                string Part(string label, MsSummary ms) => string.Create(CultureInfo.InvariantCulture,
                    $"{label} {ms.Mean:F3} ms (p50 {ms.Median:F3}; {ms.Mean / e.MeanGenerationMs:P2})").TrimStart();
                Line($"  {e.Policy,-13} accuracy {e.Accuracy:P1}, {e.TokensPerSecond:F1} tok/s, small share {e.SmallShare:P0}, mean generation {e.MeanGenerationMs:F1} ms, mean reused prefix {e.MeanReusedPrefixTokens:F1} tokens");
                Line($"    overhead per request: {Part("template", e.Template)}, {Part("probe prefill", e.ProbePrefill)}, {Part("decision", e.Decision)}, {Part("model switch", e.ModelSwitch)}; total {Part("", e.Overhead)}");
            }
            var (aio, oracle) = (rows[0], rows[1]);
            Line($"  gap aio − oracle: accuracy {(aio.Accuracy - oracle.Accuracy) * 100:+0.0;-0.0} points, {aio.TokensPerSecond - oracle.TokensPerSecond:+0.0;-0.0} tok/s ({aio.TokensPerSecond / oracle.TokensPerSecond - 1:+0.0%;-0.0%})");
        }
        return sb.ToString().TrimEnd();
    }

    public static string Tau(double tau) => double.IsInfinity(tau) ? "∞ (never fall back)" : tau.ToString("F2", CultureInfo.InvariantCulture);

    private static void Cost(StringBuilder sb, string label, ProbeCost c) => sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"probe cost ({label}, {c.Requests} requests; mean / p50): template {c.TemplateMeanMs:F3} / {c.TemplateMedianMs:F3} ms, prefill {c.PrefillMeanMs:F3} / {c.PrefillMedianMs:F3} ms " +
        $"over {c.MeanProbeTokens:F0} tokens{(c.DecisionMedianMs is { } d ? $", decision p50 {d:F4} ms" : "")}; {c.Truncated} truncated to the small context; mean entropy {c.MeanEntropy:F3} nats"));
}
