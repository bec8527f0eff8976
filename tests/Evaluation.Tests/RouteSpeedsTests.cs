using AscendAio.Engine.Generation;
using AscendAio.Evaluation.Calibration;
using AscendAio.Router;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Evaluation.Tests;

/// <summary>Speeds and gains from samples timed in repetitions, and the PLD switch they drive; every expected value is worked by hand.</summary>
public sealed class RouteSpeedsTests
{
    private static readonly RouteTarget LargePlain = new(ModelRole.Large, DecodingStrategy.Plain);
    private static readonly RouteTarget LargePld = new(ModelRole.Large, PolicyOptions.DefaultPld);
    private static readonly RouteTarget SmallPlain = new(ModelRole.Small, DecodingStrategy.Plain);
    private static readonly RouteTarget SmallPld = new(ModelRole.Small, PolicyOptions.DefaultPld);

    [Fact]
    public void ByCategory_IsTheMedianOverRepetitionsOfTheCategorysTokensOverItsTime()
    {
        // Two qa requests of 50 tokens: repetition r takes 100 ms + 100 ms × (1, 2, 1, 4, 1) on large/plain.
        List<CalibrationSample> samples = [Sample("qa", (LargePlain, [100, 200, 100, 400, 100])), Sample("qa", (LargePlain, [100, 200, 100, 400, 100]))];

        var speed = Assert.Single(RouteSpeeds.ByCategory(samples));

        // 100 tokens per repetition over 0.2, 0.4, 0.2, 0.8, 0.2 s: 500, 250, 500, 125, 500 tok/s; median 500, [min, max] at 5 values.
        Assert.Equal(("qa", LargePlain, 2, 5), (speed.Category, speed.Target, speed.Requests, speed.Repetitions));
        Assert.Equal(500, speed.Tps.Value, 9);
        Assert.Equal(125, speed.Tps.Low, 9);
        Assert.Equal(500, speed.Tps.High, 9);
        Assert.Equal(0.9375, speed.Tps.Confidence, 9);
    }

    [Fact]
    public void Gain_PairsRepetitions_AndATwiceFasterPldInEveryOneIsSignificant()
    {
        List<CalibrationSample> samples = [Sample("qa", (LargePlain, [200, 260, 180, 300, 220, 240]), (LargePld, [100, 130, 90, 150, 110, 120]))];

        var gain = RouteSpeeds.Gain(samples, "qa", LargePld, LargePlain);

        Assert.NotNull(gain);
        Assert.Equal(2.0, gain.Ratio, 9);
        Assert.Equal(2.0, gain.Low, 9);
        Assert.Equal(2.0, gain.High, 9);
        Assert.Equal((6, 1), (gain.Repetitions, gain.Requests));
    }

    [Fact]
    public void DecideStrategies_SwitchesPldOnForASignificantGainOnly_AndKeepsCodeOff()
    {
        // qa: PLD ×2 in every repetition. math: PLD faster in some repetitions, slower in others. code: PLD ×1.1 on the
        // small model in five repetitions of six, ×0.9 in one, so its interval holds 1; on the large model never measured.
        double[] plain = [100, 100, 100, 100, 100, 100];
        List<CalibrationSample> samples =
        [
            Sample("qa", (LargePlain, plain), (LargePld, [50, 50, 50, 50, 50, 50])),
            Sample("math", (LargePlain, plain), (LargePld, [80, 120, 90, 110, 70, 130])),
            Sample("code", (SmallPlain, [110, 110, 110, 110, 110, 90]), (SmallPld, [100, 100, 100, 100, 100, 100])),
        ];

        var verdicts = RouteSpeeds.DecideStrategies(samples, PolicyOptions.Default).ToDictionary(v => v.Slot);

        Assert.True(verdicts[new StrategySlot("qa", ModelRole.Large, false)].On);
        Assert.False(verdicts[new StrategySlot("math", ModelRole.Large, false)].On);
        var code = verdicts[new StrategySlot("code", ModelRole.Small, false)];
        Assert.False(code.On);
        Assert.True(code.Gain!.Ratio > 1 && code.Gain.Low < 1, $"{code.Gain}");
        Assert.Null(verdicts[new StrategySlot("code", ModelRole.Large, true)].Gain);
        Assert.False(verdicts[new StrategySlot("code", ModelRole.Large, true)].On);
    }

    [Fact]
    public void Gain_OfSamplesTimedOnce_IsNotMeasured()
    {
        var once = Sample("qa", (LargePlain, [100]), (LargePld, [50]));
        var old = once with { Outcomes = once.Outcomes.ToDictionary(p => p.Key, p => p.Value with { RepetitionMs = null }) };

        Assert.Null(RouteSpeeds.Gain([old], "qa", LargePld, LargePlain));
        Assert.Empty(RouteSpeeds.ByCategory([old]));
    }

    private static CalibrationSample Sample(string category, params (RouteTarget Target, double[] Ms)[] runs) => new()
    {
        Id = $"{category}-{Guid.NewGuid():N}",
        TrueCategory = category,
        ContextTokens = 100,
        Probe = new ProbeResult { Distribution = new CategoryDistribution(["code", "qa", "math"], [0.1, 0.8, 0.1]), ProbeTokens = 10, Truncated = false, TemplateMs = 0, PrefillMs = 0 },
        Outcomes = runs.ToDictionary(r => r.Target, r => new RunOutcome
        {
            Correct = true,
            GeneratedTokens = 50,
            PrefillMs = 0,
            DecodeMs = r.Ms.Order().ElementAt((r.Ms.Length - 1) / 2),
            RepetitionMs = r.Ms,
        }),
    };
}
