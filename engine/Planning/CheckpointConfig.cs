using System.Text.Json;

namespace AscendAio.Engine.Planning;

/// <summary>
/// Reads <see cref="ModelDims"/> from a Hugging Face config.json alone (no weights), so a deployment can be planned
/// before anything is downloaded or exported. Families and where their extra parameters are:
/// LlamaForCausalLM / MistralForCausalLM (attention_bias: q, k, v, o biases; mlp_bias), Qwen2ForCausalLM (q, k, v
/// biases), Qwen3ForCausalLM (q_norm, k_norm; attention_bias), PanguEmbeddedForCausalLM ("bias", default true:
/// q, k, v and o biases, per openPangu-Embedded's modeling_openpangu_dense.py).
/// </summary>
public static class CheckpointConfig
{
    public const string FileName = "config.json";

    public static readonly IReadOnlyList<string> Architectures =
        ["LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM", "PanguEmbeddedForCausalLM"];

    /// <summary>Reads a config.json file, or the config.json inside a checkpoint directory.</summary>
    public static ModelDims Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
            throw new InvalidDataException($"'{path}': no {FileName} there");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            return Parse(doc.RootElement, file);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid JSON ({e.Message})", e);
        }
    }

    public static ModelDims Parse(JsonElement root, string source = FileName)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{source}: expected a JSON object");
        var architecture = Architecture(root, source);
        var hidden = Positive(root, "hidden_size", source);
        var heads = Positive(root, "num_attention_heads", source);
        var kvHeads = Optional(root, "num_key_value_heads", source) ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw new InvalidDataException($"{source}: num_key_value_heads {kvHeads} must be positive and divide num_attention_heads ({heads})");
        var headDim = Optional(root, "head_dim", source) ?? (hidden % heads == 0 ? hidden / heads
            : throw new InvalidDataException($"{source}: hidden_size {hidden} is not a multiple of num_attention_heads {heads} and no head_dim is given"));

        var attentionBias = Flag(root, "attention_bias", false);
        return new ModelDims
        {
            Architecture = architecture,
            HiddenSize = hidden,
            IntermediateSize = Positive(root, "intermediate_size", source),
            Layers = Positive(root, "num_hidden_layers", source),
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = Positive(root, "vocab_size", source),
            MaxContext = Positive(root, "max_position_embeddings", source),
            TieWordEmbeddings = Flag(root, "tie_word_embeddings", false),
            QkvBias = architecture switch
            {
                "Qwen2ForCausalLM" => true,
                "PanguEmbeddedForCausalLM" => Flag(root, "bias", true),
                _ => attentionBias,
            },
            OutputBias = architecture == "PanguEmbeddedForCausalLM" ? Flag(root, "bias", true)
                : architecture != "Qwen2ForCausalLM" && attentionBias,
            MlpBias = Flag(root, "mlp_bias", false),
            QkNorm = architecture == "Qwen3ForCausalLM",
        };
    }

    private static string Architecture(JsonElement root, string source)
    {
        if (!root.TryGetProperty("architectures", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw new InvalidDataException($"{source}: 'architectures' is missing; supported: {string.Join(", ", Architectures)}");
        var names = list.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.ToString()).ToArray();
        return names.FirstOrDefault(Architectures.Contains)
               ?? throw new InvalidDataException($"{source}: architecture {string.Join(", ", names.Select(n => $"'{n}'"))} " +
                                                 $"is not supported; supported: {string.Join(", ", Architectures)}");
    }

    private static int Positive(JsonElement root, string field, string source)
    {
        var value = Optional(root, field, source) ?? throw new InvalidDataException($"{source}: '{field}' is missing");
        return value > 0 ? value : throw new InvalidDataException($"{source}: '{field}' {value} must be positive");
    }

    private static int? Optional(JsonElement root, string field, string source)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i
            : throw new InvalidDataException($"{source}: '{field}' {v} is not an integer");
    }

    private static bool Flag(JsonElement root, string field, bool fallback) =>
        root.TryGetProperty(field, out var v) ? v.ValueKind == JsonValueKind.True || (v.ValueKind != JsonValueKind.False && fallback) : fallback;
}
