using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Families;

/// <summary>
/// Random-weight stand-ins of real models: 2 layers with the real head layout (hidden size, heads, kv heads,
/// head_dim), the real rotary base, rope scaling, norm epsilon, tied-head choice and family features, read from
/// the models' published config.json files. Reduced, to keep the tests fast: intermediate size (512) and vocabulary
/// (the tiny test tokenizer's ids); max_position_embeddings is the real one, the export's max context 64.
/// </summary>
public static class FamilyStandIns
{
    public const int Intermediate = 512;

    private static TinyCheckpointOptions Layout(string architecture, string modelType, int hidden, int heads, int kvHeads, int? headDim,
        double ropeTheta, double eps, bool tied, int maxPositions, string dtype, Dictionary<string, object?>? config = null) => new()
    {
        Architecture = architecture,
        ModelType = modelType,
        Hidden = hidden,
        Intermediate = Intermediate,
        Layers = 2,
        Heads = heads,
        KvHeads = kvHeads,
        HeadDim = headDim,
        RopeTheta = ropeTheta,
        RmsNormEps = eps,
        TieWordEmbeddings = tied,
        MaxPositions = maxPositions,
        DType = dtype,
        Config = config ?? new Dictionary<string, object?>(),
        Seed = 77,
    };

    /// <summary>Llama-3.2-1B: 32 heads / 8 kv heads of 64, rope_theta 5e5 with llama3 rope scaling (factor 32), tied head.</summary>
    public static TinyCheckpointOptions Llama32_1B => Layout("LlamaForCausalLM", "llama", 2048, 32, 8, 64, 500000.0, 1e-5, true, 131072, "BF16",
        new()
        {
            ["rope_scaling"] = new Dictionary<string, object>
            {
                ["factor"] = 32.0, ["high_freq_factor"] = 4.0, ["low_freq_factor"] = 1.0,
                ["original_max_position_embeddings"] = 8192, ["rope_type"] = "llama3",
            },
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
        });

    /// <summary>Qwen2.5-1.5B: 12 heads / 2 kv heads of 128, q/k/v biases, rope_theta 1e6, tied head, sliding window off.</summary>
    public static TinyCheckpointOptions Qwen25_1_5B => Layout("Qwen2ForCausalLM", "qwen2", 1536, 12, 2, null, 1000000.0, 1e-6, true, 32768, "BF16",
        new() { ["use_sliding_window"] = false, ["sliding_window"] = 32768, ["max_window_layers"] = 21 });

    /// <summary>Qwen2.5-0.5B's layout (14 heads / 2 kv heads of 64) with an untied head, as Qwen2.5-7B has.</summary>
    public static TinyCheckpointOptions Qwen25_0_5B_Untied => Layout("Qwen2ForCausalLM", "qwen2", 896, 14, 2, null, 1000000.0, 1e-6, false, 32768, "F32",
        new() { ["use_sliding_window"] = false, ["sliding_window"] = 32768 });

    /// <summary>Qwen3-0.6B: hidden 1024, 16 heads / 8 kv heads of 128 (head_dim ≠ hidden / heads), q/k norms, tied head.</summary>
    public static TinyCheckpointOptions Qwen3_0_6B => Layout("Qwen3ForCausalLM", "qwen3", 1024, 16, 8, 128, 1000000.0, 1e-6, true, 40960, "BF16",
        new() { ["attention_bias"] = false, ["use_sliding_window"] = false, ["sliding_window"] = null });

    /// <summary>openPangu-Embedded-1B: 12 heads / 6 kv heads of 128, q/k/v/o biases ("bias": true), rope_theta 4e6, tied head.</summary>
    public static TinyCheckpointOptions PanguEmbedded1B => Layout("PanguEmbeddedForCausalLM", "PanguEmbedded", 1536, 12, 6, null, 4000000.0, 1e-5, true, 32768, "BF16",
        new() { ["bias"] = true });

    /// <summary>Mistral-7B-v0.1: 32 heads / 8 kv heads of 128, sliding_window 4096, untied head.</summary>
    public static TinyCheckpointOptions Mistral7B => Layout("MistralForCausalLM", "mistral", 4096, 32, 8, null, 10000.0, 1e-5, false, 32768, "F16",
        new() { ["sliding_window"] = 4096 });

    public static readonly IReadOnlyDictionary<string, TinyCheckpointOptions> All = new Dictionary<string, TinyCheckpointOptions>
    {
        ["Llama-3.2-1B"] = Llama32_1B,
        ["Qwen2.5-1.5B"] = Qwen25_1_5B,
        ["Qwen2.5-0.5B-untied"] = Qwen25_0_5B_Untied,
        ["Qwen3-0.6B"] = Qwen3_0_6B,
        ["openPangu-Embedded-1B"] = PanguEmbedded1B,
        ["Mistral-7B"] = Mistral7B,
    };
}
