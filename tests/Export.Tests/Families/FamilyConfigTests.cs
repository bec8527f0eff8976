using System.Text.Json.Nodes;
using AscendAio.Export.Checkpoint;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Families;

/// <summary>config.json read through the family table: features from the config, unsupported values refused naming the field.</summary>
public sealed class FamilyConfigTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("family-config");

    public void Dispose() => TempDirectory.Delete(_dir);

    private static LlamaConfig Parse(string json) => LlamaConfig.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement);

    private static string Config(string architecture, string extra = "") => $$"""
        {"architectures": ["{{architecture}}"], "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 300, "max_position_embeddings": 64{{extra}}}
        """;

    [Theory]
    [InlineData("LlamaForCausalLM", "", false, false, false)]
    [InlineData("LlamaForCausalLM", ", \"attention_bias\": true", true, true, false)]
    [InlineData("Qwen2ForCausalLM", "", true, false, false)]
    [InlineData("Qwen3ForCausalLM", "", false, false, true)]
    [InlineData("PanguEmbeddedForCausalLM", "", true, true, false)]
    [InlineData("PanguEmbeddedForCausalLM", ", \"bias\": false", false, false, false)]
    [InlineData("MistralForCausalLM", "", false, false, false)]
    public void Parse_Family_ResolvesFeaturesFromTheTableAndConfig(string architecture, string extra, bool qkvBias, bool outputBias, bool qkNorm)
    {
        var c = Parse(Config(architecture, extra));

        Assert.Equal(architecture, c.Family.Architecture);
        Assert.Equal((qkvBias, outputBias, qkNorm), (c.QueryKeyValueBias, c.OutputBias, c.QueryKeyNorm));
        var names = LlamaTensorNames.Expected(c).Select(e => e.Name).ToHashSet();
        Assert.Equal(qkvBias, names.Contains(LlamaTensorNames.KBias(1)));
        Assert.Equal(outputBias, names.Contains(LlamaTensorNames.OBias(1)));
        Assert.Equal(qkNorm, names.Contains(LlamaTensorNames.KNorm(1)));
    }

    [Fact]
    public void Parse_NoArchitectures_FallsBackToModelType()
    {
        var c = Parse("""{"model_type": "qwen3", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1, "num_attention_heads": 4, "head_dim": 32, "vocab_size": 300, "max_position_embeddings": 64}""");

        Assert.Equal("Qwen3ForCausalLM", c.Architecture);
        Assert.Equal(32, c.HeadDim);
        Assert.Equal([32L], LlamaTensorNames.Expected(c).Single(e => e.Name == LlamaTensorNames.QNorm(0)).Shape);
    }

    [Theory]
    [InlineData("MistralForCausalLM", ", \"sliding_window\": 4096", 4096)]
    [InlineData("MistralForCausalLM", ", \"sliding_window\": null", null)]
    [InlineData("Qwen2ForCausalLM", ", \"use_sliding_window\": false, \"sliding_window\": 32", null)]
    [InlineData("Qwen2ForCausalLM", ", \"use_sliding_window\": true, \"sliding_window\": 32", 32)]
    [InlineData("LlamaForCausalLM", ", \"sliding_window\": 32", null)]
    public void Parse_SlidingWindow_FollowsTheFamilyRule(string architecture, string extra, int? expected)
    {
        Assert.Equal(expected, Parse(Config(architecture, extra)).SlidingWindow);
    }

    [Fact]
    public void Parse_EosList_KeepsEveryId()
    {
        var c = Parse(Config("LlamaForCausalLM", ", \"eos_token_id\": [128001, 128008, 128009], \"bos_token_id\": 128000"));

        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(128001, c.EosTokenId);
        Assert.Equal(128000, c.BosTokenId);
    }

    [Theory]
    [InlineData(", \"model_type\": \"gpt2\"", "architectures", "supported")]   // architectures: [GPT2...] below
    [InlineData(", \"rope_scaling\": {\"rope_type\": \"longrope\", \"factor\": 2.0}", "rope_scaling", "'longrope' is not supported")]
    [InlineData(", \"rope_scaling\": {\"type\": \"su\"}", "rope_scaling", "'su' is not supported")]
    [InlineData(", \"rope_scaling\": {\"rope_type\": \"linear\"}", "rope_scaling.factor", "missing")]
    [InlineData(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}", "rope_scaling.low_freq_factor", "missing")]
    [InlineData(", \"rope_scaling\": \"linear\"", "rope_scaling", "expected an object")]
    [InlineData(", \"rope_parameters\": {\"rope_type\": \"longrope\", \"rope_theta\": 10000.0}", "rope_parameters", "'longrope'")]
    [InlineData(", \"partial_rotary_factor\": 0.5", "partial_rotary_factor", "not supported")]
    [InlineData(", \"mlp_bias\": true", "mlp_bias", "MLP biases")]
    [InlineData(", \"eos_token_id\": [2, \"x\"]", "eos_token_id", "token id")]
    public void Parse_UnsupportedField_NamesIt(string extra, string field, string expected)
    {
        var architecture = field == "architectures" ? "GPT2LMHeadModel" : "LlamaForCausalLM";

        var e = Assert.Throws<CheckpointException>(() => Parse(Config(architecture, extra)));

        Assert.Equal("config.json", e.File);
        Assert.Equal(field, e.Subject);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_MistralWithAttentionBias_IsRefused()
    {
        var e = Assert.Throws<CheckpointException>(() => Parse(Config("MistralForCausalLM", ", \"attention_bias\": true")));

        Assert.Equal("attention_bias", e.Subject);
        Assert.Contains("MistralForCausalLM has no projection biases", e.Message);
    }

    [Fact]
    public void Open_Qwen3CheckpointWithProjectionBias_NamesTheUnexpectedTensor()
    {
        var tiny = TinyCheckpoint.Write(_dir, new TinyCheckpointOptions { Architecture = "Qwen3ForCausalLM", ModelType = "qwen3" });
        var tensors = LlamaTensorNames.Expected(tiny.Config).Select(e => (e.Name, e.Shape, tiny.Weights[e.Name])).ToList();
        tensors.Add((LlamaTensorNames.QBias(1), [32], new float[32]));
        SafetensorsWriter.Write(Path.Combine(_dir, "model.safetensors"), tensors);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(LlamaTensorNames.QBias(1), e.Subject);
        Assert.Contains("unexpected tensor", e.Message);
        Assert.Contains("Qwen3ForCausalLM", e.Message);
    }

    [Fact]
    public void Open_Qwen2CheckpointWithoutKeyBias_NamesTheMissingTensor()
    {
        var tiny = TinyCheckpoint.Write(_dir, new TinyCheckpointOptions { Architecture = "Qwen2ForCausalLM", ModelType = "qwen2" });
        var tensors = LlamaTensorNames.Expected(tiny.Config).Where(e => e.Name != LlamaTensorNames.KBias(0))
            .Select(e => (e.Name, e.Shape, tiny.Weights[e.Name])).ToList();
        SafetensorsWriter.Write(Path.Combine(_dir, "model.safetensors"), tensors);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(LlamaTensorNames.KBias(0), e.Subject);
        Assert.Contains("missing tensor", e.Message);
    }

    [Fact]
    public void Open_PanguCheckpointWithSavedInverseFrequencies_IgnoresThem()
    {
        var tiny = TinyCheckpoint.Write(_dir, new TinyCheckpointOptions { Architecture = "PanguEmbeddedForCausalLM", ModelType = "PanguEmbedded" });
        var tensors = LlamaTensorNames.Expected(tiny.Config).Select(e => (e.Name, e.Shape, tiny.Weights[e.Name])).ToList();
        tensors.Add(("model.layers.0.self_attn.rotary_emb.inv_freq", [4], new float[4]));
        SafetensorsWriter.Write(Path.Combine(_dir, "model.safetensors"), tensors);

        using var checkpoint = LlamaCheckpoint.Open(_dir);

        Assert.Equal(tiny.Weights[LlamaTensorNames.OBias(1)], checkpoint.ReadFloat(LlamaTensorNames.OBias(1)));
    }
}
