using AscendAio.Engine.Generation;
using AscendAio.Router.Adaptive;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

public sealed class AdaptivePldTests
{
    private static readonly AdaptivePldOptions Options = new() { MinAcceptance = 0.3, Warmup = 3, Smoothing = 0.5, RetryEvery = 4 };

    [Fact]
    public void Tracker_TurnsPldOffAfterTheWarmupWhenAcceptanceIsLow()
    {
        var tracker = new PldAcceptanceTracker(Options);

        for (var i = 0; i < 2; i++)
        {
            Assert.True(tracker.ShouldUsePld("code", out _));
            tracker.Record("code", proposed: 10, accepted: 0);
        }
        Assert.True(tracker.ShouldUsePld("code", out _)); // still warming up
        tracker.Record("code", proposed: 10, accepted: 0);

        Assert.False(tracker.ShouldUsePld("code", out var stats));
        Assert.Equal(0, stats.Acceptance);
        Assert.True(tracker.ShouldUsePld("qa", out _)); // other categories are unaffected
    }

    [Fact]
    public void Tracker_RetriesEveryNthRequestAndWinsPldBack()
    {
        var tracker = new PldAcceptanceTracker(Options);
        for (var i = 0; i < 3; i++)
            tracker.Record("code", 10, 0);

        var uses = Enumerable.Range(0, 8).Select(i => tracker.ShouldUsePld("code", out _)).ToArray();
        Assert.Equal([false, false, false, true, false, false, false, true], uses);

        for (var i = 0; i < 3; i++)
            tracker.Record("code", 10, 9); // the category's requests changed: drafts are accepted again
        Assert.True(tracker.ShouldUsePld("code", out var stats));
        Assert.True(stats.Enabled);
    }

    [Fact]
    public void Tracker_IgnoresRequestsThatProposedNothing()
    {
        var tracker = new PldAcceptanceTracker(Options);
        for (var i = 0; i < 10; i++)
            tracker.Record("qa", proposed: 0, accepted: 0);

        Assert.Empty(tracker.Snapshot().Where(s => s.Observations > 0));
    }

    [Fact]
    public void Options_OutOfRange_NameTheField()
    {
        var e = Assert.Throws<RoutingException>(() => new PldAcceptanceTracker(new AdaptivePldOptions { Smoothing = 0 }));
        Assert.StartsWith("adaptive_pld.smoothing", e.Message);
    }

    [Fact]
    public void Replay_SwitchesPldOffWhereItStopsPaying()
    {
        // PLD everywhere on the large model: it pays on qa (80% accepted) and costs double on code (5% accepted).
        var policy = RoutingPolicies.Create("aio-no-model-routing", PolicyOptions.Default with
        {
            Categories = new Dictionary<string, CategoryRule>
            {
                ["code"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
                ["qa"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
            },
            Tau = double.PositiveInfinity,
        });
        var samples = new List<Calibration.CalibrationSample>();
        for (var i = 0; i < 10; i++)
        {
            SyntheticSamples.Add(samples, 4, "code", "code", 0.1);
            SyntheticSamples.Add(samples, 4, "qa", "qa", 0.1);
        }

        var report = AdaptivePldReplay.Run(policy, samples, Options);

        Assert.True(report.PldRunsSkipped > 0);
        Assert.False(report.Categories.Single(c => c.Category == "code").Enabled);
        Assert.True(report.Categories.Single(c => c.Category == "qa").Enabled);
        Assert.True(report.Adaptive.TokensPerSecond > report.Static.TokensPerSecond);
        Assert.Equal(report.Static.Accuracy, report.Adaptive.Accuracy); // greedy PLD changes speed, never the output
    }
}

[Collection(TinyPairCollection.Name)]
public sealed class AdaptiveRouterTests(TinyPair pair)
{
    [Fact]
    public void Router_WithAdaptivePld_DecodesPlainOnceACategoryStopsPaying()
    {
        var policy = RoutingPolicies.Create("aio-no-entropy", PolicyOptions.Default with
        {
            Categories = new Dictionary<string, CategoryRule>
            {
                ["code"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
                ["qa"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
                ["math"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
            },
        });
        var adaptive = new AdaptivePldOptions { Warmup = 2, MinAcceptance = 0.5, RetryEvery = 100 };
        using var router = new AioRouter(pair.Models, policy, new RouterOptions { AdaptivePld = adaptive });
        const string request = "for i in range(10):\n    print(i)";
        var options = new GenerationOptions { MaxNewTokens = 12 };

        var first = router.Generate(request, options);
        var category = first.Decision.Category!;
        var observed = router.PldTracker!.Snapshot().SingleOrDefault()?.Observations ?? 0;
        // Random weights rarely accept drafts; feed the tracker what a category that stopped paying looks like.
        for (var i = 0; i < adaptive.Warmup; i++)
            router.PldTracker.Record(category, proposed: 10, accepted: 1);
        var second = router.Generate(request, options);

        Assert.IsType<PromptLookupDecoding>(first.Decision.Strategy); // on until measured
        Assert.Equal(first.Result.Metrics.DraftTokensProposed > 0 ? 1 : 0, observed);
        Assert.IsType<PlainDecoding>(second.Decision.Strategy);
        Assert.Contains($"adaptive: PLD off for {category}", second.Decision.Reason);
        Assert.Equal(first.Result.Tokens, second.Result.Tokens); // greedy PLD on or off: the same output
        Assert.False(router.PldTracker.Snapshot().Single(s => s.Category == category).Enabled);
    }
}
