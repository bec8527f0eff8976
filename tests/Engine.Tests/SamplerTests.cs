using AscendAio.Engine.Generation;

namespace AscendAio.Engine.Tests;

/// <summary>The sampler's distribution, against a nucleus computed here by sorting the whole row.</summary>
public sealed class SamplerTests
{
    private const int Draws = 40_000;

    [Theory]
    [InlineData(0.9, 1.0, 1000, 1)]
    [InlineData(0.5, 0.7, 5000, 2)]
    [InlineData(0.99, 1.3, 257, 3)]
    [InlineData(0.1, 1.0, 64, 4)]
    public void TopP_DrawsOnlyFromTheNucleus_InProportionToProbability(double topP, double temperature, int vocab, int seed)
    {
        var random = new Random(seed);
        var logits = Enumerable.Range(0, vocab).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
        var (nucleus, probability) = ReferenceNucleus(logits, temperature, topP);
        var sampler = new Sampler(vocab, temperature, topP, seed);

        var counts = new int[vocab];
        for (var i = 0; i < Draws; i++)
            counts[sampler.Sample(logits)]++;

        Assert.All(Enumerable.Range(0, vocab).Where(t => !nucleus.Contains(t)), t => Assert.Equal(0, counts[t]));
        foreach (var token in nucleus)
        {
            var expected = probability[token];
            var sigma = Math.Sqrt(expected * (1 - expected) / Draws);
            Assert.InRange((double)counts[token] / Draws, expected - 5 * sigma - 1e-9, expected + 5 * sigma + 1e-9);
        }
    }

    [Fact]
    public void TopP_OnTiedProbabilities_KeepsJustEnoughTokens()
    {
        var logits = new float[10]; // uniform: each token holds 0.1 of the mass
        var sampler = new Sampler(logits.Length, temperature: 1, topP: 0.5, seed: 9);

        var drawn = Enumerable.Range(0, 4000).Select(_ => sampler.Sample(logits)).ToHashSet();

        Assert.Equal(5, drawn.Count);
    }

    [Fact]
    public void TopP_WhenTheTopTokenAloneHoldsTheMass_AlwaysDrawsIt()
    {
        var logits = Enumerable.Range(0, 300).Select(i => i == 123 ? 12f : 0f).ToArray(); // e^12 / (e^12 + 299) ≈ 0.998
        var sampler = new Sampler(logits.Length, temperature: 1, topP: 0.9, seed: 1);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Equal(123, sampler.Sample(logits)));
    }

    [Fact]
    public void ZeroTemperature_IsArgMax_WhateverTheSeed()
    {
        var logits = new[] { 0.1f, 2.5f, -1f, 2.4f };

        Assert.All(Enumerable.Range(0, 20), seed => Assert.Equal(1, new Sampler(4, 0, 0.9, seed).Sample(logits)));
    }

    [Fact]
    public void SameSeed_SameDraws_OtherSeed_OtherDraws()
    {
        var logits = Enumerable.Range(0, 500).Select(i => (float)Math.Sin(i)).ToArray();
        int[] Draw(int seed)
        {
            var sampler = new Sampler(logits.Length, 1.0, 0.95, seed);
            return Enumerable.Range(0, 50).Select(_ => sampler.Sample(logits)).ToArray();
        }

        Assert.Equal(Draw(5), Draw(5));
        Assert.NotEqual(Draw(5), Draw(6));
    }

    /// <summary>Sort descending, keep the shortest prefix whose mass reaches top_p; probabilities renormalised over it.</summary>
    private static (HashSet<int> Nucleus, Dictionary<int, double> Probability) ReferenceNucleus(float[] logits, double temperature, double topP)
    {
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp((l - max) / temperature)).ToArray();
        var total = weights.Sum();
        var nucleus = new List<int>();
        double mass = 0;
        foreach (var token in Enumerable.Range(0, logits.Length).OrderByDescending(t => weights[t]))
        {
            nucleus.Add(token);
            mass += weights[token];
            if (mass >= topP * total)
                break;
        }
        return (nucleus.ToHashSet(), nucleus.ToDictionary(t => t, t => weights[t] / mass));
    }
}
