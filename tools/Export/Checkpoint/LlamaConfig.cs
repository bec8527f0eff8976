using System.Text.Json;

namespace AscendAio.Export.Checkpoint;

/// <summary>
/// The architecture blueprint read from a Hugging Face config.json: a Llama-family decoder (RMSNorm, rotary
/// embedding with rope_theta and optional rope scaling, grouped-query attention, SwiGLU MLP, tied or untied LM head)
/// with the features of its <see cref="ModelFamily"/> resolved: projection biases, per-head q/k norm, sliding window.
/// </summary>
public sealed record LlamaConfig
{
    public const string FileName = "config.json";
    public static IReadOnlyList<string> SupportedArchitectures => ModelFamily.All.Select(f => f.Architecture).ToList();

    public required string Architecture { get; init; }
    public required ModelFamily Family { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required int MaxPositions { get; init; }
    public required double RmsNormEps { get; init; }
    public required double RopeTheta { get; init; }
    public required bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public int? EosTokenId { get; init; }

    /// <summary>Every eos_token_id of config.json (an int or a list), primary first.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>q_proj, k_proj and v_proj carry a bias (Qwen2; openPangu, and Llama/Qwen3 with attention_bias).</summary>
    public bool QueryKeyValueBias { get; init; }

    /// <summary>o_proj carries a bias (openPangu; Llama/Qwen3 with attention_bias).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Per-head RMSNorm of q and k (weights (head_dim)) before the rotary embedding (Qwen3).</summary>
    public bool QueryKeyNorm { get; init; }

    public RopeScaling RopeScaling { get; init; } = RopeScaling.None;

    /// <summary>Attention span in positions when the family honours config's sliding_window; null = full causal.</summary>
    public int? SlidingWindow { get; init; }

    public int QueryGroups => Heads / KvHeads;

    public static LlamaConfig Load(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, FileName);
        if (!File.Exists(path))
            throw new CheckpointException(FileName, null, $"not found in '{checkpointDirectory}'");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(FileName, null, $"not valid JSON ({e.Message})", e);
        }
    }

    public static LlamaConfig Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Error(null, "expected a JSON object");

        var family = ReadFamily(root);
        RequireAbsentOrEqual(root, "hidden_act", "silu");
        RequireAbsentOrFalse(root, "mlp_bias", $"{family.Architecture} is read without MLP biases");
        var partialRotary = PositiveDouble(root, "partial_rotary_factor", 1.0);
        if (partialRotary != 1.0)
            throw Error("partial_rotary_factor", $"{partialRotary} is not supported (the rotary embedding covers the whole head_dim)");
        var (qkvBias, outputBias) = ReadBiases(root, family);
        var (rope, ropeTheta) = ReadRope(root);

        var hidden = PositiveInt(root, "hidden_size");
        var heads = PositiveInt(root, "num_attention_heads");
        var kvHeads = OptionalInt(root, "num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw Error("num_key_value_heads", $"{kvHeads} must be positive and divide num_attention_heads ({heads})");
        var headDim = OptionalInt(root, "head_dim") ?? (hidden % heads == 0 ? hidden / heads
            : throw Error("hidden_size", $"{hidden} is not a multiple of num_attention_heads ({heads}) and no head_dim is given"));
        if (headDim <= 0 || headDim % 2 != 0)
            throw Error("head_dim", $"{headDim} must be positive and even (rotary embedding rotates pairs)");

        var eosIds = TokenIds(root, "eos_token_id");
        return new LlamaConfig
        {
            Architecture = family.Architecture,
            Family = family,
            HiddenSize = hidden,
            IntermediateSize = PositiveInt(root, "intermediate_size"),
            Layers = PositiveInt(root, "num_hidden_layers"),
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = PositiveInt(root, "vocab_size"),
            MaxPositions = PositiveInt(root, "max_position_embeddings"),
            RmsNormEps = PositiveDouble(root, "rms_norm_eps", 1e-6),
            RopeTheta = ropeTheta,
            RopeScaling = rope,
            TieWordEmbeddings = root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True,
            BosTokenId = TokenIds(root, "bos_token_id").Cast<int?>().FirstOrDefault(),
            EosTokenId = eosIds.Count > 0 ? eosIds[0] : null,
            EosTokenIds = eosIds,
            QueryKeyValueBias = qkvBias,
            OutputBias = outputBias,
            QueryKeyNorm = family.QueryKeyNorm,
            SlidingWindow = ReadSlidingWindow(root, family),
        };
    }

    /// <summary>The family of the first supported name in "architectures"; "model_type" when "architectures" is absent.</summary>
    private static ModelFamily ReadFamily(JsonElement root)
    {
        var supported = string.Join(", ", SupportedArchitectures);
        if (root.TryGetProperty("architectures", out var archs) && archs.ValueKind == JsonValueKind.Array && archs.GetArrayLength() > 0)
        {
            var names = archs.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.ToString()).ToArray();
            return names.Select(ModelFamily.Find).FirstOrDefault(f => f is not null) ?? throw Error("architectures",
                $"unsupported architecture {string.Join(", ", names.Select(n => $"'{n}'"))}; supported: {supported}");
        }
        if (root.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            var name = type.GetString()!;
            return ModelFamily.All.FirstOrDefault(f => f.ModelTypes.Contains(name)) ?? throw Error("model_type",
                $"unsupported model type '{name}' (and no \"architectures\"); supported: {string.Join(", ", ModelFamily.All.SelectMany(f => f.ModelTypes))}");
        }
        throw Error("architectures", $"missing, and no model_type either; expected one of {supported}");
    }

    private static (bool QueryKeyValue, bool Output) ReadBiases(JsonElement root, ModelFamily family)
    {
        switch (family.Biases)
        {
            case BiasRule.QueryKeyValue:
                return (true, false);
            case BiasRule.AllWhenFlagged:
                var flagged = OptionalBool(root, family.BiasField!) ?? family.BiasDefault;
                return (flagged, flagged);
            default:
                RequireAbsentOrFalse(root, "attention_bias", $"{family.Architecture} has no projection biases");
                return (false, false);
        }
    }

    /// <summary>rope_scaling (transformers 4.x) or rope_parameters (5.x, which may also carry rope_theta).</summary>
    private static (RopeScaling Scaling, double Theta) ReadRope(JsonElement root)
    {
        var theta = PositiveDouble(root, "rope_theta", 10000.0);
        if (root.TryGetProperty(RopeScaling.Field, out var scaling) && scaling.ValueKind != JsonValueKind.Null)
            return (RopeScaling.Parse(scaling, RopeScaling.Field), theta);
        if (root.TryGetProperty("rope_parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            if (parameters.TryGetProperty("rope_theta", out var t) && t.ValueKind == JsonValueKind.Number)
                theta = t.GetDouble() > 0 ? t.GetDouble() : throw Error("rope_parameters.rope_theta", $"{t} must be positive");
            return (RopeScaling.Parse(parameters, "rope_parameters"), theta);
        }
        return (RopeScaling.None, theta);
    }

    private static int? ReadSlidingWindow(JsonElement root, ModelFamily family)
    {
        var enabled = family.SlidingWindow switch
        {
            SlidingWindowRule.WhenSet => true,
            SlidingWindowRule.WhenEnabled => OptionalBool(root, "use_sliding_window") ?? false,
            _ => false,
        };
        if (!enabled)
            return null;
        var window = OptionalInt(root, "sliding_window");
        if (window is <= 0)
            throw Error("sliding_window", $"{window} must be positive");
        return window;
    }

    private static bool? OptionalBool(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"{v} is not true or false"),
        };
    }

    private static int PositiveInt(JsonElement root, string field)
    {
        var value = OptionalInt(root, field) ?? throw Error(field, "missing");
        return value > 0 ? value : throw Error(field, $"{value} must be positive");
    }

    private static int? OptionalInt(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw Error(field, $"{v} is not an integer");
    }

    /// <summary>A token id field that may be an int, a list of ints (eos_token_id in newer configs) or absent.</summary>
    public static IReadOnlyList<int> TokenIds(JsonElement root, string field, string file = FileName)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
            return [];
        var items = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToArray() : [v];
        return items.Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var id) && id >= 0 ? id
            : throw new CheckpointException(file, field, $"{v} is not a token id or a list of token ids")).Distinct().ToList();
    }

    private static double PositiveDouble(JsonElement root, string field, double fallback)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
            return fallback;
        if (v.ValueKind != JsonValueKind.Number || !(v.GetDouble() > 0))
            throw Error(field, $"{v} must be a positive number");
        return v.GetDouble();
    }

    private static void RequireAbsentOrEqual(JsonElement root, string field, string expected)
    {
        if (root.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
            && (v.ValueKind != JsonValueKind.String || v.GetString() != expected))
            throw Error(field, $"'{v}' is not supported (expected '{expected}')");
    }

    private static void RequireAbsentOrFalse(JsonElement root, string field, string why)
    {
        if (root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.True)
            throw Error(field, $"true is not supported ({why})");
    }

    private static CheckpointException Error(string? field, string message) => new(FileName, field, message);
}
