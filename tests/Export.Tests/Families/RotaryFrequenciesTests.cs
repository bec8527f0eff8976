using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Families;

/// <summary>
/// The exporter's rotary frequencies against the reference's, at real models' parameters where the scaled bands
/// only matter far beyond the positions a parity test can reach (Llama 3.1's 8192-token pre-training context).
/// </summary>
public sealed class RotaryFrequenciesTests
{
    private static LlamaConfig Config(int headDim, double theta, int maxPositions, string ropeScaling) =>
        LlamaConfig.Parse(System.Text.Json.JsonDocument.Parse($$"""
            {"architectures": ["LlamaForCausalLM"], "hidden_size": {{headDim * 4}}, "intermediate_size": 64, "num_hidden_layers": 1,
             "num_attention_heads": 4, "vocab_size": 10, "max_position_embeddings": {{maxPositions}}, "rope_theta": {{theta}},
             "rope_scaling": {{ropeScaling}}}
            """).RootElement);

    public static TheoryData<string, int, double, int, string> RealScalings => new()
    {
        // Llama 3.1 / 3.2 config.json
        { "llama3 (Llama 3.1 8B)", 128, 500000.0, 131072, """{"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}""" },
        { "llama3 (Llama 3.2 1B)", 64, 500000.0, 131072, """{"factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}""" },
        // Qwen2.5's long-context recipe: yarn factor 4 over a 32768 pre-training context, max_position_embeddings raised to match
        { "yarn (Qwen2.5 128K)", 128, 1000000.0, 131072, """{"factor": 4.0, "original_max_position_embeddings": 32768, "type": "yarn"}""" },
        { "yarn (no original length)", 128, 10000.0, 4096, """{"factor": 8.0, "rope_type": "yarn"}""" },
        { "linear", 128, 10000.0, 8192, """{"factor": 2.0, "type": "linear"}""" },
        { "dynamic", 128, 10000.0, 8192, """{"factor": 2.0, "type": "dynamic"}""" },
    };

    [Theory]
    [MemberData(nameof(RealScalings))]
    public void For_RealScaling_EqualsReference(string name, int headDim, double theta, int maxPositions, string scaling)
    {
        var config = Config(headDim, theta, maxPositions, scaling);
        var reference = new ReferenceRotary(config);

        var (frequencies, attention) = RotaryFrequencies.For(config);

        Assert.Equal(headDim / 2, frequencies.Length);
        for (var i = 0; i < frequencies.Length; i++)
            Assert.True(Math.Abs(frequencies[i] - reference.Frequencies[i]) <= 1e-12 * reference.Frequencies[i], $"{name}: dim {i}: {frequencies[i]} vs {reference.Frequencies[i]}");
        Assert.Equal(reference.Scale, attention, 12);
    }

    [Fact]
    public void For_Llama3_KeepsShortWavelengthsAndDividesLongOnes()
    {
        var config = Config(128, 500000.0, 131072, """{"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}""");
        var plain = RotaryFrequencies.Plain(128, 500000.0);

        var (scaled, _) = RotaryFrequencies.For(config);

        for (var i = 0; i < plain.Length; i++)
        {
            var wavelength = 2 * Math.PI / plain[i];
            if (wavelength < 8192 / 4.0)
                Assert.Equal(plain[i], scaled[i]);
            else if (wavelength > 8192 / 1.0)
                Assert.Equal(plain[i] / 8, scaled[i], 15);
            else
                Assert.InRange(scaled[i], plain[i] / 8, plain[i]);
        }
        Assert.Contains(scaled, f => Array.IndexOf(plain, f) < 0);
    }

    [Fact]
    public void RotaryTables_Yarn_ScaleCosAndSinByTheAttentionFactor()
    {
        var config = Config(16, 10000.0, 64, """{"factor": 4.0, "rope_type": "yarn", "attention_factor": 1.25}""");

        var (cos, sin) = ModelWeights.RotaryTables(config, 8);

        for (var i = 0; i < cos.Length; i++)
            Assert.Equal(1.25, Math.Sqrt((double)cos[i] * cos[i] + (double)sin[i] * sin[i]), 5);
    }
}
