using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation.Tests;

/// <summary>Each expected value comes from a textbook example or a hand calculation named beside it.</summary>
public class BenchStatisticsTests
{
    [Theory]
    // The nearest-rank method's worked example: {15, 20, 35, 40, 50}.
    [InlineData(0.05, 15)]
    [InlineData(0.30, 20)]
    [InlineData(0.40, 20)]
    [InlineData(0.50, 35)]
    [InlineData(1.00, 50)]
    public void Percentile_IsTheNearestRank(double p, double expected) =>
        Assert.Equal(expected, BenchStatistics.Percentile([50, 15, 40, 20, 35], p));

    [Fact]
    public void Median_OfAnEvenCount_AveragesTheMiddlePair()
    {
        Assert.Equal(2.5, BenchStatistics.Median([4, 1, 3, 2]));
        Assert.Equal(3, BenchStatistics.Median([5, 1, 3]));
    }

    [Fact]
    public void Wilson_MatchesNewcombesWorkedExamples()
    {
        // Newcombe (1998), Statistics in Medicine 17:857, Table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
        var a = BenchStatistics.Wilson(81, 263);
        Assert.Equal((0.2553, 0.3662), (Math.Round(a.Low, 4), Math.Round(a.High, 4)));
        var b = BenchStatistics.Wilson(0, 10);
        Assert.Equal((0.0, 0.2775), (Math.Round(b.Low, 4), Math.Round(b.High, 4)));
        // 8/10: centre (0.8 + 1.9208/10)/1.38415 = 0.71671, half-width 0.22661.
        var c = BenchStatistics.Wilson(8, 10);
        Assert.Equal((0.4902, 0.9433), (Math.Round(c.Low, 4), Math.Round(c.High, 4)));
        Assert.Equal(0.8, c.Value);
    }

    [Fact]
    public void McNemar_MatchesAgrestisApprovalRatingExample()
    {
        // Agresti, Categorical Data Analysis, §10.1: 1600 people, 150 approve then disapprove, 86 the reverse:
        // difference 0.04; z = 64 / √236 = 4.17, far beyond 1.96. Agresti's Wald interval is (0.021, 0.059); the exact
        // conditional one, 236/1600 · (2π − 1) over Clopper–Pearson's (0.5707, 0.6970) for π = 150/236, is (0.0208, 0.0581).
        var result = BenchStatistics.McNemar(1600, 150, 86);
        Assert.Equal(0.04, result.Difference.Value, 12);
        Assert.Equal((0.0208, 0.0581), (Math.Round(result.Difference.Low, 4), Math.Round(result.Difference.High, 4)));
        Assert.True(result.PValue < 1e-4);
        Assert.True(result.Significant());
    }

    [Fact]
    public void McNemar_ExactPValue_IsTwiceTheBinomialTail()
    {
        // 1 vs 9 discordant pairs: 2 · P(Bin(10, ½) ≤ 1) = 2 · 11/1024.
        var a = new bool[20];
        var b = new bool[20];
        a[0] = true;
        for (var i = 1; i <= 9; i++)
            b[i] = true;
        a[10] = b[10] = true; // concordant pairs do not count
        var result = BenchStatistics.McNemar(a, b);
        Assert.Equal((1, 9), (result.OnlyA, result.OnlyB));
        Assert.Equal(22.0 / 1024, result.PValue, 12);
        Assert.Equal(-0.4, result.Difference.Value, 12);
    }

    [Fact]
    public void McNemar_FiveDiscordantPairsAllOneWay_IsNotSignificant_AndItsIntervalHoldsZero()
    {
        // The main job's scenario A once read −3.3 pts with a Wald interval of [−6.2, −0.5] beside p = 0.0625.
        var result = BenchStatistics.McNemar(150, 0, 5);
        Assert.Equal(2.0 / 32, result.PValue, 12);
        Assert.Equal((-0.0333, 0.0015), (Math.Round(result.Difference.Low, 4), Math.Round(result.Difference.High, 4)));
        Assert.False(result.Significant());
    }

    [Fact]
    public void McNemar_IntervalExcludesZero_ExactlyWhenTheTestRejects()
    {
        for (var onlyA = 0; onlyA <= 25; onlyA++)
            for (var onlyB = 0; onlyB <= 25; onlyB++)
            {
                var result = BenchStatistics.McNemar(150, onlyA, onlyB);
                Assert.True(result.PValue < 0.05 == !result.Difference.Contains(0), $"{onlyA} vs {onlyB}: p {result.PValue}, [{result.Difference.Low}, {result.Difference.High}]");
            }
    }

    [Fact]
    public void McNemar_WithNoDiscordantPairs_IsNotSignificant()
    {
        var result = BenchStatistics.McNemar(24, 0, 0);
        Assert.Equal(1.0, result.PValue);
        Assert.Equal((0.0, 0.0), (result.Difference.Low, result.Difference.High));
        Assert.False(result.Significant());
    }

    [Fact]
    public void MedianInterval_UsesTheOrderStatisticsTheBinomialAllows()
    {
        // n = 5: only [min, max] is possible, coverage 1 − 2/32 = 93.75 %.
        var five = BenchStatistics.MedianInterval([3, 1, 5, 2, 4]);
        Assert.Equal((3.0, 1.0, 5.0), (five.Value, five.Low, five.High));
        Assert.Equal(0.9375, five.Confidence, 12);
        // n = 10: [x(2), x(9)], coverage 1 − 2 · 11/1024 = 97.85 %; [x(3), x(8)] would give only 89 %.
        var ten = BenchStatistics.MedianInterval([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
        Assert.Equal((5.5, 2.0, 9.0), (ten.Value, ten.Low, ten.High));
        Assert.Equal(1 - 22.0 / 1024, ten.Confidence, 12);
    }

    [Fact]
    public void RatioInterval_PairsTheRepetitions()
    {
        // Every repetition twice as fast: the ratio is 2 whatever the drift between repetitions.
        var doubled = BenchStatistics.RatioInterval([2, 40, 6, 80, 10], [1, 20, 3, 40, 5]);
        Assert.Equal((2.0, 2.0, 2.0), (doubled.Value, doubled.Low, doubled.High));
        Assert.True(doubled.Above(1));
        // Ratios 1.1, 0.9, 1.05, 0.95, 1.0: the interval [0.9, 1.1] holds 1, so no significant difference.
        var same = BenchStatistics.RatioInterval([110, 90, 105, 95, 100], [100, 100, 100, 100, 100]);
        Assert.Equal((1.0, 0.9, 1.1), (same.Value, Math.Round(same.Low, 12), Math.Round(same.High, 12)));
        Assert.True(same.Contains(1));
    }

    [Fact]
    public void Bootstrap_OfAMean_FollowsTheBinomialResamplingDistribution()
    {
        // 10 ones among 20 values: a resample's mean is Bin(20, ½)/20, whose 2.5 % and 97.5 % quantiles are 6 and 14
        // (P(X ≤ 5) = 0.0207 < 0.025 < P(X ≤ 6) = 0.0577), so the interval is [0.30, 0.70].
        var values = Enumerable.Range(0, 20).Select(i => i < 10 ? 1.0 : 0.0).ToArray();
        var result = BenchStatistics.Bootstrap(values, v => v.Average(), resamples: 20000, seed: 7);
        Assert.Equal((0.5, 0.30, 0.70), (result.Value, Math.Round(result.Low, 10), Math.Round(result.High, 10)));
    }

    [Fact]
    public void Bootstrap_IsReproducibleBySeed()
    {
        double[] values = [3.1, 2.7, 5.5, 4.0, 3.3, 6.1, 2.2];
        Assert.Equal(BenchStatistics.Bootstrap(values, BenchStatistics.Median, seed: 3), BenchStatistics.Bootstrap(values, BenchStatistics.Median, seed: 3));
    }
}
