using AscendAio.Engine.Generation;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

/// <summary>The PLD switch: on only where the interval of PLD's tokens/s ratio to plain lies above 1; code is held to the same proof.</summary>
public sealed class StrategySwitchTests
{
    private static readonly StrategySlot QaOnLarge = new("qa", ModelRole.Large, OnFallback: false);
    private static readonly StrategySlot CodeOnSmall = new("code", ModelRole.Small, OnFallback: false);
    private static readonly StrategySlot CodeOnLarge = new("code", ModelRole.Large, OnFallback: true);

    private static SpeedGain Gain(double ratio, double low, double high) => new(ratio, low, high, 0.969, 6, 40);

    [Fact]
    public void Decide_WithTheWholeIntervalAboveOne_SwitchesPldOn()
    {
        var verdict = StrategySwitch.Decide(QaOnLarge, Gain(1.30, 1.05, 1.60));

        Assert.True(verdict.On);
        Assert.False(verdict.OverridesPaper);
        Assert.Contains("significant gain", verdict.Reason);
    }

    [Theory]
    [InlineData(1.20, 0.98, 1.40)] // a faster median whose interval still holds 1
    [InlineData(1.00, 1.00, 1.10)] // the bound itself is not above 1
    [InlineData(0.70, 0.60, 0.80)] // PLD slower
    public void Decide_WithoutASignificantGain_StaysPlain(double ratio, double low, double high)
    {
        var verdict = StrategySwitch.Decide(QaOnLarge, Gain(ratio, low, high));

        Assert.False(verdict.On);
        Assert.EndsWith(": plain", verdict.Reason);
    }

    [Fact]
    public void Decide_ForCodeWithoutASignificantGain_StaysOffAsThePaperRules()
    {
        var small = StrategySwitch.Decide(CodeOnSmall, Gain(1.15, 0.95, 1.30));
        var fallback = StrategySwitch.Decide(CodeOnLarge, Gain(0.90, 0.80, 1.02));

        Assert.False(small.On);
        Assert.False(fallback.On);
        Assert.Contains("off for code, as the paper rules", small.Reason);
    }

    [Fact]
    public void Decide_ForCodeWithASignificantGain_IsOnAndSaysItOverridesThePaper()
    {
        var verdict = StrategySwitch.Decide(CodeOnLarge, Gain(1.50, 1.20, 1.90));

        Assert.True(verdict.On);
        Assert.True(verdict.OverridesPaper);
        Assert.Contains("against the paper's rule", verdict.Reason);
    }

    [Fact]
    public void Decide_WithoutMeasurement_StaysPlain()
    {
        var verdict = StrategySwitch.Decide(QaOnLarge, null);

        Assert.False(verdict.On);
        Assert.Null(verdict.Gain);
    }

    [Fact]
    public void Slots_AreEachCategoryOnItsModel_AndTheSmallCategoryOnTheFallbackModel()
    {
        var slots = StrategySwitch.Slots(PolicyOptions.Default);

        Assert.Equal([CodeOnSmall, CodeOnLarge, new("math", ModelRole.Large, false), QaOnLarge], slots);
    }

    [Fact]
    public void Apply_SetsPldWhereOnAndPlainWhereOff_IncludingTheFallbackStrategy()
    {
        var pld = PolicyOptions.DefaultPld;
        StrategyVerdict[] verdicts =
        [
            StrategySwitch.Decide(CodeOnSmall, Gain(0.9, 0.8, 1.0)),
            StrategySwitch.Decide(CodeOnLarge, Gain(1.5, 1.2, 1.9)),
            StrategySwitch.Decide(new("math", ModelRole.Large, false), Gain(1.1, 0.9, 1.3)),
            StrategySwitch.Decide(QaOnLarge, Gain(1.3, 1.1, 1.6)),
        ];

        var policy = StrategySwitch.Apply(PolicyOptions.Default, verdicts, pld);

        Assert.IsType<PlainDecoding>(policy.Categories["code"].Strategy);
        Assert.Equal(pld, policy.StrategyOnFallback(policy.Categories["code"]));
        Assert.IsType<PlainDecoding>(policy.Categories["math"].Strategy); // the paper's default had PLD here
        Assert.Equal(pld, policy.Categories["qa"].Strategy);
    }

    [Fact]
    public void InterleavedOrder_RunsEveryTargetOncePerRepetition_InAnOrderShuffledPerRepetition()
    {
        var orders = InterleavedOrder.Of(targets: 4, repetitions: 6, new Random(1));

        Assert.Equal(6, orders.Length);
        Assert.All(orders, o => Assert.Equal([0, 1, 2, 3], o.Order()));
        Assert.True(orders.Select(o => string.Join(",", o)).Distinct().Count() > 1, "every repetition ran in the same order");
        Assert.True(orders.Select(o => o[0]).Distinct().Count() > 1, "the same target always ran first");
        Assert.Equal(orders, InterleavedOrder.Of(4, 6, new Random(1))); // seeded: the order is reproducible
    }
}
