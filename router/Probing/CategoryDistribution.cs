namespace AscendAio.Router.Probing;

/// <summary>
/// The probe's belief over categories: a softmax over the logits at the category tokens, and its Shannon
/// entropy in nats (0 = certain; ln 3 ≈ 1.0986 = uniform over three categories).
/// </summary>
public sealed record CategoryDistribution
{
    public CategoryDistribution(IReadOnlyList<string> categories, IReadOnlyList<double> probabilities)
    {
        if (categories.Count == 0 || categories.Count != probabilities.Count)
            throw new ArgumentException($"{categories.Count} categories for {probabilities.Count} probabilities", nameof(probabilities));
        Categories = categories;
        Probabilities = probabilities;
        Entropy = ShannonEntropy(probabilities);
        var top = 0;
        for (var i = 1; i < probabilities.Count; i++)
        {
            if (probabilities[i] > probabilities[top])
                top = i;
        }
        Top = categories[top];
        TopProbability = probabilities[top];
    }

    public IReadOnlyList<string> Categories { get; }

    public IReadOnlyList<double> Probabilities { get; }

    /// <summary>Shannon entropy of <see cref="Probabilities"/>, in nats.</summary>
    public double Entropy { get; }

    /// <summary>The most probable category (the first one on ties).</summary>
    public string Top { get; }

    public double TopProbability { get; }

    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var map = new Dictionary<string, double>(Categories.Count, StringComparer.Ordinal);
        for (var i = 0; i < Categories.Count; i++)
            map[Categories[i]] = Probabilities[i];
        return map;
    }

    /// <summary>Softmax of <paramref name="logits"/> (one per category), computed in double with the max subtracted.</summary>
    public static CategoryDistribution FromLogits(IReadOnlyList<string> categories, ReadOnlySpan<float> logits)
    {
        if (logits.Length != categories.Count)
            throw new ArgumentException($"{logits.Length} logits for {categories.Count} categories", nameof(logits));
        return new CategoryDistribution(categories, Softmax(logits));
    }

    public static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            if (float.IsNaN(l))
                throw new ArgumentException("a category logit is NaN", nameof(logits));
            max = Math.Max(max, l);
        }
        var p = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
            sum += p[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < p.Length; i++)
            p[i] /= sum;
        return p;
    }

    /// <summary>H(p) = −Σ p ln p in nats; zero-probability terms contribute nothing (lim p→0 of p ln p).</summary>
    public static double ShannonEntropy(IReadOnlyList<double> probabilities)
    {
        var h = 0.0;
        foreach (var p in probabilities)
        {
            if (p < 0 || double.IsNaN(p))
                throw new ArgumentException($"probability {p} is not a probability", nameof(probabilities));
            if (p > 0)
                h -= p * Math.Log(p);
        }
        return h;
    }
}
