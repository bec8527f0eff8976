using AscendAio.Router.Probing;

namespace AscendAio.Router.Tests;

public sealed class CategoryDistributionTests
{
    private static readonly string[] Three = ["code", "qa", "math"];

    [Fact]
    public void Entropy_OfUniformOverThree_IsLn3()
    {
        Assert.Equal(1.0986122886681098, CategoryDistribution.ShannonEntropy([1 / 3.0, 1 / 3.0, 1 / 3.0]), 12);
    }

    [Fact]
    public void Entropy_OfCertainty_IsZero()
    {
        Assert.Equal(0.0, CategoryDistribution.ShannonEntropy([1.0, 0.0, 0.0]));
    }

    [Fact]
    public void Entropy_OfHalfQuarterQuarter_IsOneAndAHalfLn2()
    {
        // −(½ ln ½ + 2 · ¼ ln ¼) = ½ ln 2 + ln 2 = 1.5 ln 2
        Assert.Equal(1.5 * Math.Log(2), CategoryDistribution.ShannonEntropy([0.5, 0.25, 0.25]), 12);
        Assert.Equal(1.0397207708399179, CategoryDistribution.ShannonEntropy([0.5, 0.25, 0.25]), 12);
    }

    [Fact]
    public void Entropy_OfTwoWaySplit_MatchesHandValue()
    {
        // p = (0.9, 0.1, 0): −(0.9 ln 0.9 + 0.1 ln 0.1) = 0.0948245 + 0.2302585
        Assert.Equal(0.3250829733914482, CategoryDistribution.ShannonEntropy([0.9, 0.1, 0.0]), 12);
    }

    [Fact]
    public void FromLogits_IsSoftmaxOverTheCategoryLogits()
    {
        // logits (0, ln 2, 0) → (1, 2, 1) / 4
        var d = CategoryDistribution.FromLogits(Three, [0f, MathF.Log(2), 0f]);

        Assert.Equal(0.25, d.Probabilities[0], 6);
        Assert.Equal(0.50, d.Probabilities[1], 6);
        Assert.Equal(0.25, d.Probabilities[2], 6);
        Assert.Equal("qa", d.Top);
        Assert.Equal(1.5 * Math.Log(2), d.Entropy, 6);
    }

    [Fact]
    public void FromLogits_WithHugeLogits_StaysFinite()
    {
        var d = CategoryDistribution.FromLogits(Three, [1000f, 1000f, 1000f]);

        Assert.All(d.Probabilities, p => Assert.Equal(1 / 3.0, p, 12));
        Assert.Equal(Math.Log(3), d.Entropy, 12);
    }

    [Fact]
    public void FromLogits_OnTies_PicksTheFirstCategory()
    {
        Assert.Equal("code", CategoryDistribution.FromLogits(Three, [2f, 2f, 1f]).Top);
    }

    [Fact]
    public void Entropy_OfNegativeProbability_Throws()
    {
        Assert.Throws<ArgumentException>(() => CategoryDistribution.ShannonEntropy([1.2, -0.2]));
    }

    [Fact]
    public void FromLogits_WithNaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => CategoryDistribution.FromLogits(Three, [0f, float.NaN, 0f]));
    }
}
