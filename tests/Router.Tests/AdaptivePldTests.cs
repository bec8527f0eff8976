using AscendAio.Engine.Generation;
using AscendAio.Router.Adaptive;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

public sealed class AdaptivePldTests
{
    private static readonly AdaptivePldOptions Options = new() { Warmup = 2, ExploreEvery = 4, Smoothing = 0.5 };

    /// <summary>Runs the tracker's pick for one request and records a run of the given cost (ms per token after the first).</summary>
    private static bool Step(PldPayoffTracker tracker, double pldMsPerToken, double plainMsPerToken)
    {
        var pld = tracker.ShouldUsePld("code", ModelRole.Large, 100, out _);
        tracker.Record("code", ModelRole.Large, 100, pld, generatedTokens: 11, decodeMs: 10 * (pld ? pldMsPerToken : plainMsPerToken), proposed: 10, accepted: 1);
        return pld;
    }

    [Fact]
    public void Tracker_AlternatesArmsDuringTheWarmup_PldFirst()
    {
        var tracker = new PldPayoffTracker(Options);

        var arms = Enumerable.Range(0, 4).Select(_ => Step(tracker, 2, 1)).ToArray();

        Assert.Equal([true, false, true, false], arms);
    }

    [Fact]
    public void Tracker_AfterTheWarmup_PicksTheFasterArmAndExploresTheOther()
    {
        var tracker = new PldPayoffTracker(Options);
        for (var i = 0; i < 4; i++)
            Step(tracker, pldMsPerToken: 2, plainMsPerToken: 1); // PLD costs double: it does not pay

        var arms = Enumerable.Range(0, 8).Select(_ => Step(tracker, 2, 1)).ToArray();

        // Requests 5..12: plain, except every 4th request (8 and 12), which runs PLD to re-measure.
        Assert.Equal([false, false, false, true, false, false, false, true], arms);
        var stats = Assert.Single(tracker.Snapshot());
        Assert.False(stats.PldEnabled);
        Assert.Equal(2, stats.PldMsPerToken, 9);
        Assert.Equal(1, stats.PlainMsPerToken, 9);
        Assert.Equal(0.1, stats.Acceptance, 9);
    }

    [Fact]
    public void Tracker_WinsPldBackWhenItBecomesFaster()
    {
        var tracker = new PldPayoffTracker(Options);
        for (var i = 0; i < 4; i++)
            Step(tracker, 2, 1);

        for (var i = 0; i < 40; i++)
            Step(tracker, pldMsPerToken: 0.5, plainMsPerToken: 1); // the category's requests changed: drafts pay now

        Assert.True(Assert.Single(tracker.Snapshot()).PldEnabled);
        Assert.True(tracker.ShouldUsePld("code", ModelRole.Large, 100, out _) || tracker.ShouldUsePld("code", ModelRole.Large, 100, out _));
    }

    [Fact]
    public void Tracker_KeepsCategoriesModelsAndContextSizesApart()
    {
        var tracker = new PldPayoffTracker(Options);
        for (var i = 0; i < 4; i++)
            Step(tracker, 2, 1);

        Assert.True(tracker.ShouldUsePld("qa", ModelRole.Large, 100, out _));
        Assert.True(tracker.ShouldUsePld("code", ModelRole.Small, 100, out _));
        Assert.True(tracker.ShouldUsePld("code", ModelRole.Large, 1000, out _)); // a longer context is another bucket
    }

    [Fact]
    public void Tracker_IgnoresRunsWithoutADecodeRate()
    {
        var tracker = new PldPayoffTracker(Options);
        tracker.ShouldUsePld("qa", ModelRole.Large, 100, out _);
        tracker.Record("qa", ModelRole.Large, 100, usedPld: true, generatedTokens: 1, decodeMs: 3, proposed: 0, accepted: 0);

        Assert.Equal(0, Assert.Single(tracker.Snapshot()).PldRuns);
    }

    [Theory]
    [InlineData(1, 128)]
    [InlineData(128, 128)]
    [InlineData(129, 512)]
    [InlineData(2048, 2048)]
    [InlineData(2049, 8192)]
    public void ContextBucket_IsTheSmallestPowerOfFourGearFrom128(int tokens, int bucket)
    {
        Assert.Equal(bucket, PldPayoffTracker.ContextBucket(tokens));
    }

    [Fact]
    public void Options_OutOfRange_NameTheField()
    {
        var e = Assert.Throws<RoutingException>(() => new PldPayoffTracker(new AdaptivePldOptions { Smoothing = 0 }));
        Assert.StartsWith("adaptive_pld.smoothing", e.Message);
    }

    [Fact]
    public void Replay_SwitchesPldOffWhereItStopsPaying()
    {
        // PLD everywhere on the large model: it pays on qa (250 vs 500 ms) and costs double on code (1000 vs 500 ms).
        var policy = RoutingPolicies.Create("aio", PolicyOptions.Default with
        {
            Categories = new Dictionary<string, CategoryRule>
            {
                ["code"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
                ["qa"] = new(ModelRole.Large, PolicyOptions.DefaultPld),
            },
        });
        var samples = new List<CalibrationSample>();
        for (var i = 0; i < 10; i++)
        {
            SyntheticSamples.Add(samples, 4, "code", "code", 0.1);
            SyntheticSamples.Add(samples, 4, "qa", "qa", 0.1);
        }

        var report = AdaptivePldReplay.Run(policy, samples, Options);

        Assert.True(report.PlainRuns > 0);
        Assert.False(report.Arms.Single(c => c.Category == "code").PldEnabled);
        Assert.True(report.Arms.Single(c => c.Category == "qa").PldEnabled);
        Assert.True(report.Adaptive.TokensPerSecond > report.Static.TokensPerSecond);
        Assert.Equal(report.Static.Accuracy, report.Adaptive.Accuracy); // greedy PLD changes speed, never the output
    }
}

[Collection(TinyPairCollection.Name)]
public sealed class AdaptiveRouterTests(TinyPair pair)
{
    [Fact]
    public void Router_WithAdaptivePld_MeasuresBothArmsAndKeepsTheOutput()
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
        var adaptive = new AdaptivePldOptions { Warmup = 2 };
        using var router = new AioRouter(pair.Models, policy, new RouterOptions { AdaptivePld = adaptive });
        const string request = "for i in range(10):\n    print(i)";
        var options = new GenerationOptions { MaxNewTokens = 12 };

        var results = Enumerable.Range(0, 4).Select(_ => router.Generate(request, options)).ToArray();
        var sampled = router.Generate(request, options with { Temperature = 0.7, Seed = 3 }); // not the tracker's arm: not recorded

        Assert.Equal(["pld", "plain", "pld", "plain"], results.Select(r => r.Decision.Strategy.Name));
        Assert.Contains("adaptive: plain for", results[1].Decision.Reason);
        Assert.All(results, r => Assert.Equal(results[0].Result.Tokens, r.Result.Tokens)); // greedy PLD on or off: the same output
        var stats = Assert.Single(router.PldTracker!.Snapshot());
        Assert.Equal(results[0].Decision.Category, stats.Category);
        Assert.Equal(ModelRole.Large, stats.Model);
        Assert.Equal(2, stats.PldRuns);
        Assert.Equal(2, stats.PlainRuns);
        Assert.IsType<PlainDecoding>(sampled.Decision.Strategy);
    }
}
