using System.Text.Json;

namespace AscendAio.Export.Checkpoint;

/// <summary>
/// The architecture blueprint read from a Hugging Face config.json: a Llama-family decoder (RMSNorm, rotary
/// embedding with rope_theta, grouped-query attention, SwiGLU MLP, tied or untied LM head).
/// </summary>
public sealed record LlamaConfig
{
    public const string FileName = "config.json";
    public static readonly IReadOnlyList<string> SupportedArchitectures = ["LlamaForCausalLM"];

    public required string Architecture { get; init; }
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

        var architecture = ReadArchitecture(root);
        RequireAbsentOrEqual(root, "hidden_act", "silu");
        RequireAbsentOrFalse(root, "attention_bias");
        RequireAbsentOrFalse(root, "mlp_bias");
        if (root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
            throw Error("rope_scaling", "rope scaling is not supported (only plain rotary embedding with rope_theta)");

        var hidden = PositiveInt(root, "hidden_size");
        var heads = PositiveInt(root, "num_attention_heads");
        var kvHeads = OptionalInt(root, "num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw Error("num_key_value_heads", $"{kvHeads} must be positive and divide num_attention_heads ({heads})");
        var headDim = OptionalInt(root, "head_dim") ?? (hidden % heads == 0 ? hidden / heads
            : throw Error("hidden_size", $"{hidden} is not a multiple of num_attention_heads ({heads}) and no head_dim is given"));
        if (headDim <= 0 || headDim % 2 != 0)
            throw Error("head_dim", $"{headDim} must be positive and even (rotary embedding rotates pairs)");

        return new LlamaConfig
        {
            Architecture = architecture,
            HiddenSize = hidden,
            IntermediateSize = PositiveInt(root, "intermediate_size"),
            Layers = PositiveInt(root, "num_hidden_layers"),
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = PositiveInt(root, "vocab_size"),
            MaxPositions = PositiveInt(root, "max_position_embeddings"),
            RmsNormEps = PositiveDouble(root, "rms_norm_eps", 1e-6),
            RopeTheta = PositiveDouble(root, "rope_theta", 10000.0),
            TieWordEmbeddings = root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True,
            BosTokenId = OptionalTokenId(root, "bos_token_id"),
            EosTokenId = OptionalTokenId(root, "eos_token_id"),
        };
    }

    private static string ReadArchitecture(JsonElement root)
    {
        if (!root.TryGetProperty("architectures", out var archs) || archs.ValueKind != JsonValueKind.Array || archs.GetArrayLength() == 0)
            throw Error("architectures", $"missing; expected [\"{SupportedArchitectures[0]}\"]");
        var names = archs.EnumerateArray().Select(a => a.GetString() ?? "").ToArray();
        var supported = names.FirstOrDefault(n => SupportedArchitectures.Contains(n));
        return supported ?? throw Error("architectures",
            $"unsupported architecture {string.Join(", ", names.Select(n => $"'{n}'"))}; supported: {string.Join(", ", SupportedArchitectures)}");
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

    // eos_token_id may be a list in newer configs; the first entry is the primary one.
    private static int? OptionalTokenId(JsonElement root, string field)
    {
        if (root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Array)
            return v.GetArrayLength() > 0 && v[0].TryGetInt32(out var first) ? first : null;
        return OptionalInt(root, field);
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

    private static void RequireAbsentOrFalse(JsonElement root, string field)
    {
        if (root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.True)
            throw Error(field, "true is not supported (the Llama architecture has no projection biases)");
    }

    private static CheckpointException Error(string? field, string message) => new(FileName, field, message);
}
