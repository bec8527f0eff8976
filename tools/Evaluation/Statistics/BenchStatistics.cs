using System.Text.Json.Serialization;
using MathNet.Numerics.Distributions;

namespace AscendAio.Evaluation.Statistics;

/// <summary>A point estimate with its interval at <see cref="Confidence"/> (the coverage the method actually gives).</summary>
public readonly record struct Estimate(
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High,
    [property: JsonPropertyName("confidence")] double Confidence)
{
    public bool Contains(double x) => Low <= x && x <= High;

    /// <summary>The whole interval lies above <paramref name="x"/>.</summary>
    public bool Above(double x) => Low > x;

    /// <summary>The whole interval lies below <paramref name="x"/>.</summary>
    public bool Below(double x) => High < x;
}

/// <summary>
/// McNemar's paired comparison of two configurations' correctness on the same requests: <see cref="OnlyA"/> requests
/// only A got right, <see cref="OnlyB"/> only B. <see cref="Difference"/> is acc(A) − acc(B) with its exact conditional interval for
/// paired proportions; <see cref="PValue"/> is the exact two-sided binomial test on the discordant pairs.
/// </summary>
public readonly record struct PairedComparison(int N, int OnlyA, int OnlyB, Estimate Difference, double PValue)
{
    public bool Significant(double alpha = 0.05) => PValue < alpha && !Difference.Contains(0);
}

/// <summary>
/// The benchmarks' one statistics helper: percentiles and medians, distribution-free intervals of a median (order
/// statistics) and of a ratio of paired repetitions, the percentile bootstrap, Wilson's interval of a proportion and
/// McNemar's paired test. Distributions come from Math.NET Numerics.
/// </summary>
public static class BenchStatistics
{
    /// <summary>Nearest-rank percentile (p in [0, 1]); 0 for no values.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return 0;
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The middle value, or the mean of the two middle values for an even count; 0 for no values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The median with the distribution-free interval [x(k), x(n+1−k)] of order statistics: the narrowest whose
    /// coverage 1 − 2·P(Bin(n, ½) &lt; k) is at least <paramref name="confidence"/>. Too few values for that give
    /// [min, max] and its lower coverage, which <see cref="Estimate.Confidence"/> states (5 values: 93.75 %).
    /// </summary>
    public static Estimate MedianInterval(IReadOnlyList<double> values, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        var k = 1;
        while (k + 1 <= n / 2 && 1 - 2 * Binomial.CDF(0.5, n, k) >= confidence)
            k++;
        var coverage = 1 - 2 * Binomial.CDF(0.5, n, k - 1);
        return new Estimate(Median(sorted), sorted[k - 1], sorted[n - k], n == 1 ? 0 : coverage);
    }

    /// <summary>
    /// Paired repetitions (a[i] and b[i] measured in the same repetition): the median of the ratios a[i] ÷ b[i] with
    /// its order-statistic interval. An interval that contains 1 means no significant difference.
    /// </summary>
    public static Estimate RatioInterval(IReadOnlyList<double> a, IReadOnlyList<double> b, double confidence = 0.95)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"paired repetitions differ in count: {a.Count} and {b.Count}");
        return MedianInterval(a.Zip(b, (x, y) => y > 0 ? x / y : double.PositiveInfinity).ToArray(), confidence);
    }

    /// <summary>Percentile bootstrap of <paramref name="statistic"/> over <paramref name="resamples"/> seeded resamples.</summary>
    public static Estimate Bootstrap(IReadOnlyList<double> values, Func<IReadOnlyList<double>, double> statistic,
        double confidence = 0.95, int resamples = 2000, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var random = new Random(seed);
        var draws = new double[resamples];
        var sample = new double[values.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++)
                sample[i] = values[random.Next(values.Count)];
            draws[r] = statistic(sample);
        }
        Array.Sort(draws);
        var tail = (1 - confidence) / 2;
        return new Estimate(statistic(values), Quantile(draws, tail), Quantile(draws, 1 - tail), confidence);
    }

    /// <summary>Wilson's score interval of a proportion successes ÷ n.</summary>
    public static Estimate Wilson(int successes, int n, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (successes < 0 || successes > n)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes of {n}");
        var z = Z(confidence);
        var p = (double)successes / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        // At 0 and n the bounds are exactly 0 and 1; computed, they miss by a rounding error.
        return new Estimate(p, successes == 0 ? 0 : centre - half, successes == n ? 1 : centre + half, confidence);
    }

    /// <summary>
    /// McNemar on paired outcomes (a[i], b[i] for the same request): the exact two-sided binomial p-value on the
    /// discordant pairs and the exact conditional interval of the difference of the two accuracies: given d discordant
    /// pairs the difference is d/n · (2π − 1) with π the share of them A got right, and π's Clopper–Pearson interval
    /// gives the difference's. It excludes 0 exactly when the test rejects, so a verdict and its interval never disagree
    /// (the Wald interval of Agresti, Categorical Data Analysis, §10.1, can exclude 0 where the exact test does not).
    /// </summary>
    public static PairedComparison McNemar(IReadOnlyList<bool> a, IReadOnlyList<bool> b, double confidence = 0.95)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"paired outcomes differ in count: {a.Count} and {b.Count}");
        var onlyA = a.Zip(b).Count(p => p.First && !p.Second);
        var onlyB = a.Zip(b).Count(p => !p.First && p.Second);
        return McNemar(a.Count, onlyA, onlyB, confidence);
    }

    /// <summary>McNemar from the counts: n pairs, of which <paramref name="onlyA"/> and <paramref name="onlyB"/> are discordant.</summary>
    public static PairedComparison McNemar(int n, int onlyA, int onlyB, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (onlyA < 0 || onlyB < 0 || onlyA + onlyB > n)
            throw new ArgumentOutOfRangeException(nameof(n), $"{onlyA} + {onlyB} discordant pairs of {n}");
        var discordant = onlyA + onlyB;
        var p = discordant == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, discordant, Math.Min(onlyA, onlyB)));
        var difference = (double)(onlyA - onlyB) / n;
        if (discordant == 0)
            return new PairedComparison(n, onlyA, onlyB, new Estimate(0, 0, 0, confidence), p);
        var tail = (1 - CheckConfidence(confidence)) / 2;
        var low = onlyA == 0 ? 0 : Beta.InvCDF(onlyA, discordant - onlyA + 1, tail);
        var high = onlyA == discordant ? 1 : Beta.InvCDF(onlyA + 1, discordant - onlyA, 1 - tail);
        var scale = (double)discordant / n;
        return new PairedComparison(n, onlyA, onlyB, new Estimate(difference, scale * (2 * low - 1), scale * (2 * high - 1), confidence), p);
    }

    private static double Z(double confidence) => Normal.InvCDF(0, 1, 1 - (1 - CheckConfidence(confidence)) / 2);

    private static double CheckConfidence(double confidence) =>
        confidence is > 0 and < 1 ? confidence : throw new ArgumentOutOfRangeException(nameof(confidence), $"must be in (0, 1), got {confidence}");

    // Linear interpolation between order statistics of sorted draws.
    private static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
