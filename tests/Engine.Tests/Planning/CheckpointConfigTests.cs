using AscendAio.Engine.Planning;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests.Planning;

/// <summary>config.json → dimensions → parameter count, weight bytes and a footprint, without any weights.</summary>
public sealed class CheckpointConfigTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("plan-config");

    public void Dispose() => TempDirectory.Delete(_dir);

    private static string Config(string name) => Path.Combine(AppContext.BaseDirectory, "Planning", "Configs", name);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Load_SmallLlama_CountsEveryParameterByHand()
    {
        // D 8, I 16, 2 layers, 2 heads of 4, 1 kv head, V 10, untied.
        var dims = CheckpointConfig.Load(Write("""
            { "architectures": ["LlamaForCausalLM"], "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 2,
              "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 10, "max_position_embeddings": 64 }
            """));

        // per layer: q 8·8 + k 8·4 + v 8·4 + o 8·8 + mlp 3·8·16 = 576, norms 16 → 592; embedding and head 80 each; final norm 8.
        Assert.Equal(4, dims.HeadDim);
        Assert.Equal(80 + 80 + 2 * 592 + 8, dims.ParameterCount);
        Assert.Equal(dims.ParameterCount * 2, dims.WeightBytes(WeightFormat.Float16));
        Assert.Equal(dims.ParameterCount * 4, dims.WeightBytes(WeightFormat.Float32));
        Assert.Equal(2 * 2 * 4 * 2, dims.KvBytesPerPosition(WeightFormat.BFloat16)); // layers·2·kvh·hd·2
    }

    [Fact]
    public void Load_FamilyFeatures_AddTheirBiasesAndNorms()
    {
        const string body = """
            "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
            "num_key_value_heads": 1, "vocab_size": 10, "max_position_embeddings": 64, "tie_word_embeddings": true
            """;
        long Count(string architecture, string extra = "") =>
            CheckpointConfig.Load(Write($$"""{ "architectures": ["{{architecture}}"], {{body}} {{extra}} }""")).ParameterCount;

        var llama = Count("LlamaForCausalLM");
        Assert.Equal(llama + 8 + 4 + 4, Count("Qwen2ForCausalLM"));                   // q, k, v biases
        Assert.Equal(llama + 8 + 4 + 4 + 8, Count("PanguEmbeddedForCausalLM"));       // bias defaults to true: q, k, v, o
        Assert.Equal(llama, Count("PanguEmbeddedForCausalLM", ""","bias": false"""));
        Assert.Equal(llama + 2 * 4, Count("Qwen3ForCausalLM"));                       // q_norm, k_norm
        Assert.Equal(llama + 8 + 4 + 4 + 8, Count("LlamaForCausalLM", ""","attention_bias": true"""));
    }

    [Fact]
    public void Load_UnsupportedArchitectureOrMissingField_SaysWhich()
    {
        var gpt = Assert.Throws<InvalidDataException>(() => CheckpointConfig.Load(Write("""{ "architectures": ["GPT2LMHeadModel"] }""")));
        Assert.Contains("'GPT2LMHeadModel' is not supported", gpt.Message);
        var missing = Assert.Throws<InvalidDataException>(() => CheckpointConfig.Load(Write("""{ "architectures": ["LlamaForCausalLM"], "hidden_size": 8 }""")));
        Assert.Contains("'num_attention_heads' is missing", missing.Message);
        Assert.Throws<InvalidDataException>(() => CheckpointConfig.Load(Path.Combine(_dir, "nowhere")));
    }

    // Published counts: see Planning/Configs/README.md for where each comes from.
    [Theory]
    [InlineData("llama-3.2-1b.json", 1_235_814_400L)]
    [InlineData("llama-3.1-8b.json", 8_030_261_248L)]
    [InlineData("qwen2.5-1.5b-instruct.json", 1_540_000_000L)]
    [InlineData("qwen2.5-7b-instruct.json", 7_610_000_000L)]
    [InlineData("openpangu-embedded-7b.json", 8_030_887_936L)]
    public void ParameterCount_OfRealConfigs_IsWithinOnePercentOfThePublishedCount(string file, long published)
    {
        var count = CheckpointConfig.Load(Config(file)).ParameterCount;

        Assert.InRange(Math.Abs(count - published) / (double)published, 0, 0.01);
    }

    [Fact]
    public void ParameterCount_OfTheLlamaAndQwenConfigs_IsExact()
    {
        Assert.Equal(1_235_814_400L, CheckpointConfig.Load(Config("llama-3.2-1b.json")).ParameterCount);
        Assert.Equal(8_030_261_248L, CheckpointConfig.Load(Config("llama-3.1-8b.json")).ParameterCount);
        Assert.Equal(1_543_714_304L, CheckpointConfig.Load(Config("qwen2.5-1.5b-instruct.json")).ParameterCount);
        Assert.Equal(7_615_616_512L, CheckpointConfig.Load(Config("qwen2.5-7b-instruct.json")).ParameterCount);
    }

    [Fact]
    public void OpenPanguEmbedded1B_HasAboutOneBillionNonEmbeddingParameters()
    {
        var dims = CheckpointConfig.Load(Config("openpangu-embedded-1b.json"));

        // The model card gives only "1B (non-embedding)".
        Assert.InRange(dims.ParameterCount - dims.EmbeddingParameters - dims.LmHeadParameters, 0.9e9, 1.1e9);
    }

    [Fact]
    public void FromDims_Llama31At32K_KvIsLayersTimesKvWidthAndGearsStopAtTheContext()
    {
        var dims = CheckpointConfig.Load(Config("llama-3.1-8b.json"));

        var footprint = ModelFootprint.FromDims("llama-3.1-8b", dims, WeightFormat.Float16, maxContext: 32_768);

        Assert.Equal(32L * 2 * 8 * 128 * 2, footprint.KvBytesPerPosition); // 128 KiB per position
        Assert.Equal(32_768, footprint.Gears[^1]);
        Assert.Equal(footprint.KvBytesPerPosition * 2048, footprint.KvBytesPerSequence(2000));
        Assert.Equal(dims.ParameterCount * 2, footprint.WeightBytes);
    }

    [Fact]
    public void W8A16_StoresMatricesInInt8_WithFloat16ScalesAndEverythingElse()
    {
        var dims = CheckpointConfig.Load(Config("llama-3.1-8b.json"));

        var bytes = dims.WeightBytes(WeightFormat.W8A16);

        // About half the float16 size: the embedding (1 GiB of 16 GB) stays float16.
        Assert.InRange(bytes / (double)dims.WeightBytes(WeightFormat.Float16), 0.5, 0.6);
    }
}
