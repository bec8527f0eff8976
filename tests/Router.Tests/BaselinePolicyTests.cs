using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

public sealed class BaselinePolicyTests
{
    [Fact]
    public void Registry_NamesEveryBaselineAndAblation()
    {
        string[] expected = ["static-small", "static-large", "small-pld", "large-pld", "small-quant", "large-quant", "draft-spec",
            "random", "oracle", "aio", "aio-no-model-routing", "aio-no-pld-switch", "aio-no-entropy"];

        Assert.All(expected, name => Assert.Contains(name, RoutingPolicies.Names));
        Assert.All(expected, name => Assert.Equal(name, RoutingPolicies.Create(name).Name));
    }

    [Fact]
    public void Create_WithUnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<RoutingException>(() => RoutingPolicies.Create("clever"));
        Assert.Contains("'clever'", e.Message);
        Assert.Contains("static-large", e.Message);
    }

    [Fact]
    public void Create_WithInvalidOptions_NamesTheField()
    {
        var e = Assert.Throws<RoutingException>(() => RoutingPolicies.Create("aio", new PolicyOptions { Tau = -1 }));
        Assert.StartsWith("tau:", e.Message);
    }

    [Theory]
    [InlineData("static-small", ModelRole.Small, "plain")]
    [InlineData("static-large", ModelRole.Large, "plain")]
    [InlineData("small-pld", ModelRole.Small, "pld")]
    [InlineData("large-pld", ModelRole.Large, "pld")]
    [InlineData("small-quant", ModelRole.SmallQuant, "plain")]
    [InlineData("large-quant", ModelRole.LargeQuant, "plain")]
    [InlineData("draft-spec", ModelRole.Large, "draft")]
    public void StaticBaselines_NeedNoProbeAndAlwaysPickTheirModel(string name, ModelRole model, string strategy)
    {
        var policy = RoutingPolicies.Create(name);

        var d = policy.Decide(Inputs.With(null, context: 100_000));

        Assert.False(policy.NeedsProbe);
        Assert.Equal(model, d.Model);
        Assert.Equal(strategy, d.Strategy.Name);
        Assert.Null(d.Category);
        Assert.True(double.IsNaN(d.Entropy));
    }

    [Fact]
    public void Random_IsReproducibleBySeed()
    {
        static ModelRole[] Routes(int seed)
        {
            var policy = RoutingPolicies.Create("random", new PolicyOptions { Seed = seed, RandomSmallShare = 0.4 });
            return Enumerable.Range(0, 200).Select(_ => policy.Decide(Inputs.With(null, context: 10)).Model).ToArray();
        }

        Assert.Equal(Routes(5), Routes(5));
        Assert.NotEqual(Routes(5), Routes(6));
    }

    [Fact]
    public void Random_WithTheRoutersSource_IsReproducibleBySeed()
    {
        var policy = RoutingPolicies.Create("random", new PolicyOptions { RandomSmallShare = 0.5 });
        ModelRole[] Routes(int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, 100).Select(_ => policy.Decide(new RoutingInput { ContextTokens = 1, Random = random }).Model).ToArray();
        }

        Assert.Equal(Routes(9), Routes(9));
    }

    [Fact]
    public void Random_FollowsTheMixRatio()
    {
        var policy = RoutingPolicies.Create("random", new PolicyOptions { Seed = 3, RandomSmallShare = 0.3 });

        var small = Enumerable.Range(0, 4000).Count(_ => policy.Decide(Inputs.With(null, context: 10)).Model == ModelRole.Small);

        Assert.InRange(small / 4000.0, 0.27, 0.33);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(DecodingStrategy.Plain, policy.Decide(Inputs.With(null, 10)).Strategy));
    }

    [Fact]
    public void Random_WithShareZeroOrOne_IsDeterministic()
    {
        var never = RoutingPolicies.Create("random", new PolicyOptions { RandomSmallShare = 0 });
        var always = RoutingPolicies.Create("random", new PolicyOptions { RandomSmallShare = 1 });

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(ModelRole.Large, never.Decide(Inputs.With(null, 10)).Model));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(ModelRole.Small, always.Decide(Inputs.With(null, 10)).Model));
    }
}
