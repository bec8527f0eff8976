using AscendAio.Engine.Generation;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

public sealed class CalibrationTests
{
    [Fact]
    public void Replay_OfStaticLarge_ChargesNoProbe()
    {
        var score = PolicyReplay.Run(RoutingPolicies.Create("static-large"), SyntheticSamples.Mixed());

        Assert.Equal(1.0, score.Accuracy);
        Assert.Equal(0, score.MeanOverheadMs);
        Assert.Equal(100 / 0.5, score.TokensPerSecond, 6); // 100 tokens per 500 ms
        Assert.Equal(0, score.SmallShare);
    }

    [Fact]
    public void Replay_OfAio_ChargesTheProbeAndUsesTheReusedPrefill()
    {
        var samples = new List<CalibrationSample>();
        SyntheticSamples.Add(samples, 4, "code", "code", 0.1);

        var score = PolicyReplay.Run(RoutingPolicies.Create("aio"), samples);

        Assert.Equal(1.0, score.SmallShare);
        Assert.Equal(2.0, score.MeanOverheadMs, 9);             // template 0.1 + probe 1.9
        Assert.Equal(100 - 10 + 1, score.MeanGenerationMs, 9);   // prefill 10 ms replaced by the reused 1 ms
        Assert.Equal(400 / (4 * 93 / 1000.0), score.TokensPerSecond, 6);
    }

    [Fact]
    public void Replay_SmallTargetWithoutMeasurement_RunsOnLargeLikeTheRouterGuard()
    {
        var samples = SyntheticSamples.Mixed();
        var tooLong = samples[0] with { Outcomes = samples[0].Outcomes.Where(p => p.Key.Model == ModelRole.Large).ToDictionary() };

        var score = PolicyReplay.Run(RoutingPolicies.Create("static-small"), [tooLong]);

        Assert.Equal(0, score.SmallShare);
        Assert.Equal(1, score.Routes[SyntheticSamples.LargePlain]);
    }

    [Fact]
    public void TauSearch_ForThroughputAtFullAccuracy_FallsBackExactlyTheMispredictions()
    {
        var result = TauSearch.Run(SyntheticSamples.Mixed(), PolicyOptions.Default, CalibrationObjective.ThroughputAtAccuracyFloor(1.0));

        Assert.True(result.Feasible);
        // τ in [0.50, 0.60) keeps the H 0.5 code requests small and sends the H 0.6 mispredictions large;
        // ties go to the τ nearest 0.45.
        Assert.Equal(0.50, result.Best.Tau, 9);
        Assert.Equal(1.0, result.Best.Score.Accuracy);
        Assert.Equal(15 / 30.0, result.Best.Score.SmallShare, 9);
    }

    [Fact]
    public void TauSearch_ForAccuracyAtAThroughputFloor_TradesAccuracyForSpeed()
    {
        var samples = SyntheticSamples.Mixed();
        var allSmall = PolicyReplay.Run(RoutingPolicies.Create("aio", PolicyOptions.Default with { Tau = double.PositiveInfinity }), samples);

        var result = TauSearch.Run(samples, PolicyOptions.Default, CalibrationObjective.AccuracyAtThroughputFloor(allSmall.TokensPerSecond));

        Assert.True(result.Feasible);
        Assert.True(result.Best.Tau >= 0.6, $"only trusting every probe is fast enough; got τ {result.Best.Tau}");
        Assert.Equal(25 / 30.0, result.Best.Score.Accuracy, 9);
    }

    [Fact]
    public void TauSearch_WithAnUnreachableFloor_ReturnsTheClosestCandidate()
    {
        var result = TauSearch.Run(SyntheticSamples.Mixed(), PolicyOptions.Default, CalibrationObjective.AccuracyAtThroughputFloor(1e9));

        Assert.False(result.Feasible);
        Assert.Equal(result.Candidates.Max(c => c.Score.TokensPerSecond), result.Best.Score.TokensPerSecond);
    }

    [Fact]
    public void ErrorPenalty_UnderTheMeasuredConfusion_LosesTheMisroutedAccuracy()
    {
        var penalty = ErrorPenaltyAnalysis.Analyse(SyntheticSamples.Mixed(), PolicyOptions.Default);

        // Oracle: code small (right), qa large (right). Under confusion a third of qa goes small (wrong): 5/30 lost.
        Assert.Equal(1.0, penalty.Oracle.Accuracy, 9);
        Assert.Equal(25 / 30.0, penalty.UnderConfusion.Accuracy, 9);
        Assert.Equal(5 / 30.0, penalty.AccuracyPenalty, 9);
        Assert.Equal(5, penalty.Confusion["qa", "code"]);
    }

    [Fact]
    public void ConfusionMatrix_CountsAndRates()
    {
        var m = ConfusionMatrix.Of(["code", "qa", "math"], [("code", "code"), ("code", "qa"), ("qa", "qa"), ("math", "math"), ("math", "qa")]);

        Assert.Equal(5, m.Total);
        Assert.Equal(0.6, m.Accuracy, 9);
        Assert.Equal(0.5, m.Recall("code"), 9);
        Assert.Equal(1 / 3.0, m.Precision("qa"), 9);
        Assert.Contains("accuracy 3/5 = 60", m.Format());
        Assert.Throws<ArgumentException>(() => m.Add("poetry", "code"));
    }

    [Fact]
    public void SampleFile_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aio-samples-{Guid.NewGuid():N}.jsonl");
        try
        {
            var samples = SyntheticSamples.Mixed();
            SampleFile.Save(path, samples);
            var loaded = SampleFile.Load(path);

            Assert.Equal(samples.Count, loaded.Count);
            Assert.Equal(samples[^1].Probe.Distribution.Probabilities, loaded[^1].Probe.Distribution.Probabilities);
            Assert.Equal(samples[^1].Outcomes.OrderBy(p => p.Key.ToString()), loaded[^1].Outcomes.OrderBy(p => p.Key.ToString()));
            var original = PolicyReplay.Run(RoutingPolicies.Create("aio"), samples);
            Assert.Equal(original.TokensPerSecond, PolicyReplay.Run(RoutingPolicies.Create("aio"), loaded).TokensPerSecond, 9);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SampleFile_WithABadLine_NamesFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aio-samples-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, "{ not json\n");
        try
        {
            var e = Assert.Throws<RoutingException>(() => SampleFile.Load(path));
            Assert.StartsWith($"{Path.GetFileName(path)}:1: not a calibration sample", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("large/pld:6:2")]
    [InlineData("small/plain")]
    [InlineData("large/draft:3")]
    public void RouteTarget_TextRoundTrips(string text)
    {
        Assert.Equal(text, RouteTarget.Parse(text).ToString());
    }

    [Fact]
    public void StrategyText_RejectsUnknownKinds()
    {
        Assert.Throws<FormatException>(() => StrategyText.Parse("beam:4"));
    }
}
