using AscendAio.Engine.Generation;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Adaptive;

/// <summary>What online PLD tracking did over a replay, against the same policy without it.</summary>
public sealed record AdaptivePldReport(ReplayScore Static, ReplayScore Adaptive, IReadOnlyList<PldCategoryStats> Categories, int PldRunsSkipped);

/// <summary>
/// Replays samples in order with a <see cref="PldAcceptanceTracker"/> in the loop, exactly as the router applies
/// it: a PLD decision of a category whose acceptance fell below the floor runs plain instead, and every PLD run
/// feeds its measured drafts back.
/// </summary>
public static class AdaptivePldReplay
{
    public static AdaptivePldReport Run(IRoutingPolicy policy, IReadOnlyList<CalibrationSample> samples, AdaptivePldOptions options, ReplayOptions? replay = null)
    {
        var baseline = PolicyReplay.Run(policy, samples, replay);
        var tracker = new PldAcceptanceTracker(options);
        var skipped = 0;
        var adaptive = PolicyReplay.Run(policy, samples, replay,
            adjust: d =>
            {
                if (d.Strategy is not PromptLookupDecoding || d.Category is not { } category || tracker.ShouldUsePld(category, out _))
                    return d;
                skipped++;
                return d with { Strategy = DecodingStrategy.Plain };
            },
            observe: (d, outcome) =>
            {
                if (d.Strategy is PromptLookupDecoding && d.Category is { } category)
                    tracker.Record(category, outcome.DraftTokensProposed, outcome.DraftTokensAccepted);
            });
        return new AdaptivePldReport(baseline, adaptive, tracker.Snapshot(), skipped);
    }
}
