using AscendAio.Router;
using Xunit;

namespace AscendAio.Router.Tests;

[Collection(TinyPairCollection.Name)]
public sealed class ModelNamesTests(TinyPair pair)
{
    private static ModelNames Pair(string small, string large) =>
        new([KeyValuePair.Create(ModelRole.Small, small), KeyValuePair.Create(ModelRole.Large, large)]);

    [Fact]
    public void Names_MapRolesToConfiguredNamesAndBack()
    {
        var names = Pair("qwen2.5-1.5b", "qwen2.5-7b");

        Assert.Equal("qwen2.5-1.5b", names.Of(ModelRole.Small));
        Assert.Equal(ModelRole.Large, names.RoleOf("qwen2.5-7b"));
        Assert.Null(names.RoleOf("Qwen2.5-7B"));
        Assert.Null(names.RoleOf("large"));
        Assert.Equal(["qwen2.5-1.5b", "qwen2.5-7b"], names.Names);
        Assert.Equal("small-quant", names.Of(ModelRole.SmallQuant)); // no model: the role's own name
        Assert.False(names.Has(ModelRole.SmallQuant));
    }

    [Theory]
    [InlineData("same", "same", "'same' names both the small and the large model")]
    [InlineData("aio", "big", "'aio' is the routed model's name")]
    [InlineData("little", "AIO", "'aio' is the routed model's name")]
    [InlineData(" ", "big", "the small model needs a non-empty name")]
    [InlineData("little ", "big", "leading or trailing whitespace")]
    public void Names_ThatCannotServe_AreRefusedWithTheReason(string small, string large, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Pair(small, large));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void FromBundles_UsesEachBundlesModelName()
    {
        var names = ModelNames.FromBundles(pair.Models);

        Assert.Equal(["tiny-small", "tiny-large"], names.Names);
    }
}
