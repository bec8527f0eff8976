using AscendAio.Engine.Generation;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Adaptive;

/// <summary>What online PLD tracking did over a replay, against the same policy without it.</summary>
public sealed record AdaptivePldReport(ReplayScore Static, ReplayScore Adaptive, IReadOnlyList<PldArmStats> Arms, int PlainRuns);

/// <summary>
/// Replays samples in request order with a <see cref="PldPayoffTracker"/> in the loop, as the router applies it:
/// each PLD decision runs the arm the tracker picks, and the measured run (decode time, tokens, drafts) feeds it back.
/// </summary>
public static class AdaptivePldReplay
{
    public static AdaptivePldReport Run(IRoutingPolicy policy, IReadOnlyList<CalibrationSample> samples, AdaptivePldOptions options, ReplayOptions? replay = null)
    {
        var baseline = PolicyReplay.Run(policy, samples, replay);
        var tracker = new PldPayoffTracker(options);
        var plainRuns = 0;
        bool? arm = null; // the arm the tracker picked for the request being replayed; null = not tracked
        var adaptive = PolicyReplay.Run(policy, samples, replay,
            adjust: (sample, d) =>
            {
                arm = null;
                if (d.Strategy is not PromptLookupDecoding || d.Category is not { } category)
                    return d;
                arm = tracker.ShouldUsePld(category, d.Model, sample.ContextTokens, out _);
                if (arm.Value)
                    return d;
                plainRuns++;
                return d with { Strategy = DecodingStrategy.Plain };
            },
            observe: (sample, d, outcome) =>
            {
                if (arm is { } usedPld && d.Category is { } category)
                    tracker.Record(category, d.Model, sample.ContextTokens, usedPld, outcome.GeneratedTokens, outcome.DecodeMs, outcome.DraftTokensProposed, outcome.DraftTokensAccepted);
            });
        return new AdaptivePldReport(baseline, adaptive, tracker.Snapshot(), plainRuns);
    }
}
