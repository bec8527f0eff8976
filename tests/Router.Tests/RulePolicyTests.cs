using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

public sealed class RulePolicyTests
{
    private static readonly IRoutingPolicy Aio = RoutingPolicies.Create("aio");
    [Fact]
    public void Code_WithContextExactlyAtTheLimit_GoesSmall()
    {
        var d = Aio.Decide(Inputs.With(Inputs.Probe(0.98, 0.01, 0.01), context: 512));

        Assert.Equal(ModelRole.Small, d.Model);
        Assert.Equal(DecodingStrategy.Plain, d.Strategy);
        Assert.Equal("code", d.Category);
        Assert.Contains("context 512 ≤ 512", d.Reason);
    }

    [Fact]
    public void Code_WithContextOneOverTheLimit_GoesLargeWithPlainDecoding()
    {
        var d = Aio.Decide(Inputs.With(Inputs.Probe(0.98, 0.01, 0.01), context: 513));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.IsType<PlainDecoding>(d.Strategy);
        Assert.Contains("context 513 > 512", d.Reason);
    }

    [Fact]
    public void Code_WithEntropyExactlyTau_StaysWithTheRule()
    {
        var probe = Inputs.ProbeWithEntropy("code", 0.3);
        var tau = probe.Entropy; // ≈ 0.3; τ equal to the entropy bit for bit
        var policy = RoutingPolicies.Create("aio", new PolicyOptions { Tau = tau });

        var d = policy.Decide(Inputs.With(probe, context: 40));

        Assert.Equal(ModelRole.Small, d.Model);
        Assert.Equal(tau, d.Entropy);
    }

    [Fact]
    public void Code_WithEntropyJustAboveTau_FallsBackToLarge()
    {
        var probe = Inputs.ProbeWithEntropy("code", 0.3);
        var policy = RoutingPolicies.Create("aio", new PolicyOptions { Tau = Math.BitDecrement(probe.Entropy) });

        var d = policy.Decide(Inputs.With(probe, context: 40));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.IsType<PlainDecoding>(d.Strategy); // the predicted category's strategy: PLD stays off for code
        Assert.Contains(" > τ ", d.Reason);
    }

    [Theory]
    [InlineData("qa")]
    [InlineData("math")]
    public void QaAndMath_GoLargeWithPld(string category)
    {
        var p = category == "qa" ? Inputs.Probe(0.01, 0.98, 0.01) : Inputs.Probe(0.01, 0.01, 0.98);

        var d = Aio.Decide(Inputs.With(p, context: 3000));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.Equal(new PromptLookupDecoding(6, 2), d.Strategy);
        Assert.Equal(category, d.Category);
    }

    [Fact]
    public void UnknownCategory_FallsBackToLargeAndSaysWhy()
    {
        var probe = Inputs.Probe(["code", "poetry"], [0.05, 0.95]);

        var d = Aio.Decide(Inputs.With(probe, context: 10));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.IsType<PlainDecoding>(d.Strategy);
        Assert.Equal("poetry", d.Category);
        Assert.Contains("no rule for category 'poetry'", d.Reason);
    }

    [Fact]
    public void Decision_CarriesTheProbeEvidence()
    {
        var d = Aio.Decide(Inputs.With(Inputs.Probe(0.7, 0.2, 0.1), context: 10));

        Assert.Equal(0.7, d.Probabilities["code"]);
        Assert.Equal(0.2, d.Probabilities["qa"]);
        Assert.Equal(Inputs.Probe(0.7, 0.2, 0.1).Entropy, d.Entropy);
    }

    [Fact]
    public void Aio_WithoutAProbe_ThrowsRoutingException()
    {
        var e = Assert.Throws<RoutingException>(() => Aio.Decide(Inputs.With(null, context: 10)));
        Assert.Contains("probe", e.Message);
    }

    [Fact]
    public void Oracle_RoutesByTheTrueCategoryWithoutAProbe()
    {
        var oracle = RoutingPolicies.Create("oracle");

        var code = oracle.Decide(Inputs.With(null, context: 100, trueCategory: "code"));
        var math = oracle.Decide(Inputs.With(null, context: 100, trueCategory: "math"));

        Assert.False(oracle.NeedsProbe);
        Assert.Equal(ModelRole.Small, code.Model);
        Assert.Equal("code", code.Category);
        Assert.True(double.IsNaN(code.Entropy));
        Assert.Equal(ModelRole.Large, math.Model);
        Assert.IsType<PromptLookupDecoding>(math.Strategy);
    }

    [Fact]
    public void Oracle_WithoutTheTrueCategory_ThrowsRoutingException()
    {
        Assert.Throws<RoutingException>(() => RoutingPolicies.Create("oracle").Decide(Inputs.With(null, context: 10)));
    }

    [Fact]
    public void NoModelRouting_SendsCodeToLargeAndKeepsTheStrategySwitch()
    {
        var policy = RoutingPolicies.Create("aio-no-model-routing");

        var code = policy.Decide(Inputs.With(Inputs.Probe(0.98, 0.01, 0.01), context: 10));
        var qa = policy.Decide(Inputs.With(Inputs.Probe(0.01, 0.98, 0.01), context: 10));

        Assert.Equal(ModelRole.Large, code.Model);
        Assert.IsType<PlainDecoding>(code.Strategy);
        Assert.IsType<PromptLookupDecoding>(qa.Strategy);
    }

    [Fact]
    public void NoPldSwitch_DecodesPlainEverywhere()
    {
        var d = RoutingPolicies.Create("aio-no-pld-switch").Decide(Inputs.With(Inputs.Probe(0.01, 0.98, 0.01), context: 10));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.IsType<PlainDecoding>(d.Strategy);
    }

    [Fact]
    public void NoEntropy_TrustsAnUncertainProbe()
    {
        var uncertain = Inputs.Probe(0.34, 0.33, 0.33);

        Assert.Equal(ModelRole.Large, Aio.Decide(Inputs.With(uncertain, context: 10)).Model);
        Assert.Equal(ModelRole.Small, RoutingPolicies.Create("aio-no-entropy").Decide(Inputs.With(uncertain, context: 10)).Model);
    }

    [Fact]
    public void CategoryRule_OwnContextLimit_OverridesTheDefault()
    {
        var options = new PolicyOptions
        {
            Categories = new Dictionary<string, CategoryRule> { ["code"] = new(ModelRole.Small, DecodingStrategy.Plain, ContextLimit: 100) },
        };
        var policy = RoutingPolicies.Create("aio", options);

        Assert.Equal(ModelRole.Small, policy.Decide(Inputs.With(Inputs.Probe(1, 0, 0), context: 100)).Model);
        Assert.Equal(ModelRole.Large, policy.Decide(Inputs.With(Inputs.Probe(1, 0, 0), context: 101)).Model);
    }

    [Fact]
    public void CategoryFallbackStrategy_AppliesWhereTheCategoryLandsOnTheFallbackModel()
    {
        var options = new PolicyOptions
        {
            Categories = new Dictionary<string, CategoryRule>
            {
                ["code"] = new(ModelRole.Small, DecodingStrategy.Plain, FallbackStrategy: new PromptLookupDecoding(4, 2)),
            },
        };
        var policy = RoutingPolicies.Create("aio", options);

        var inContext = policy.Decide(Inputs.With(Inputs.Probe(1, 0, 0), context: 512));
        var overLimit = policy.Decide(Inputs.With(Inputs.Probe(1, 0, 0), context: 513));
        var uncertain = policy.Decide(Inputs.With(Inputs.Probe(0.5, 0.25, 0.25), context: 10));

        Assert.Equal((ModelRole.Small, (DecodingStrategy)DecodingStrategy.Plain), (inContext.Model, inContext.Strategy));
        Assert.Equal((ModelRole.Large, (DecodingStrategy)new PromptLookupDecoding(4, 2)), (overLimit.Model, overLimit.Strategy));
        Assert.Equal((ModelRole.Large, (DecodingStrategy)new PromptLookupDecoding(4, 2)), (uncertain.Model, uncertain.Strategy));
    }

    [Fact]
    public void FallbackStrategy_WhenSet_ReplacesTheCategoryStrategy()
    {
        var policy = RoutingPolicies.Create("aio", new PolicyOptions { FallbackStrategy = new PromptLookupDecoding(3, 1) });

        var d = policy.Decide(Inputs.With(Inputs.Probe(0.4, 0.3, 0.3), context: 10));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.Equal(new PromptLookupDecoding(3, 1), d.Strategy);
    }

    [Fact]
    public void NoLongProbe_OverEveryLimitForAnotherModel_DecidesWithoutAProbe()
    {
        var policy = RoutingPolicies.Create(RoutingPolicies.AioNoLongProbe);

        Assert.False(policy.NeedsProbeFor(513));
        var d = policy.Decide(Inputs.With(null, context: 513));

        Assert.Equal(ModelRole.Large, d.Model);
        Assert.Equal(DecodingStrategy.Plain, d.Strategy);
        Assert.Null(d.Category);
        Assert.Contains("no probe", d.Reason);
    }

    [Fact]
    public void NoLongProbe_WithinALimit_StillNeedsAndUsesTheProbe()
    {
        var policy = RoutingPolicies.Create(RoutingPolicies.AioNoLongProbe);

        Assert.True(policy.NeedsProbeFor(512));
        Assert.Throws<RoutingException>(() => policy.Decide(Inputs.With(null, context: 512)));
        Assert.Equal(ModelRole.Small, policy.Decide(Inputs.With(Inputs.Probe(0.98, 0.01, 0.01), context: 512)).Model);
    }

    [Fact]
    public void Aio_ProbesEveryLengthAndAKnownCategoryPicksTheStrategyThere()
    {
        Assert.True(Aio.NeedsProbeFor(5000));
        var qa = Aio.Decide(Inputs.With(Inputs.Probe(0.01, 0.98, 0.01), context: 5000));
        Assert.Equal(ModelRole.Large, qa.Model);
        Assert.IsType<PromptLookupDecoding>(qa.Strategy);
    }

    [Fact]
    public void NoLongProbe_ARuleWithoutALimitForAnotherModel_KeepsTheProbe()
    {
        var options = PolicyOptions.Default with
        {
            Categories = new Dictionary<string, CategoryRule>(PolicyOptions.Default.Categories)
            {
                ["code"] = new(ModelRole.Small, DecodingStrategy.Plain, ContextLimit: 100_000),
            },
        };
        var policy = RoutingPolicies.Create(RoutingPolicies.AioNoLongProbe, options);

        Assert.True(policy.NeedsProbeFor(5000));
    }
}
