using System.Text.Json;

namespace AscendAio.Export.Checkpoint;

/// <summary>The rotary-embedding variants config.json's rope_scaling (or rope_parameters) may name.</summary>
public enum RopeScalingType
{
    Default,
    Linear,
    Dynamic,
    Llama3,
    Yarn,
}

/// <summary>
/// config.json's rope_scaling as Hugging Face's modeling_rope_utils reads it: "rope_type" (or the older "type") and
/// that type's parameters. Absent or null means the plain rotary embedding. Parameters a type needs and does not
/// find, and types this exporter does not implement, are refused naming the field.
/// </summary>
public sealed record RopeScaling
{
    public const string Field = "rope_scaling";
    public static readonly RopeScaling None = new() { Type = RopeScalingType.Default };

    public required RopeScalingType Type { get; init; }

    /// <summary>linear, dynamic, llama3, yarn: the context extension factor.</summary>
    public double Factor { get; init; } = 1.0;

    /// <summary>llama3: wavelengths longer than original / low_freq_factor are divided by the factor.</summary>
    public double LowFreqFactor { get; init; }

    /// <summary>llama3: wavelengths shorter than original / high_freq_factor are kept.</summary>
    public double HighFreqFactor { get; init; }

    /// <summary>llama3 (required), yarn (optional): the pre-training context length.</summary>
    public int? OriginalMaxPositions { get; init; }

    /// <summary>yarn: explicit cos/sin multiplier; else derived from the factor and mscale / mscale_all_dim.</summary>
    public double? AttentionFactor { get; init; }

    public double BetaFast { get; init; } = 32;
    public double BetaSlow { get; init; } = 1;
    public double? Mscale { get; init; }
    public double? MscaleAllDim { get; init; }
    public bool Truncate { get; init; } = true;

    public static readonly IReadOnlyList<string> SupportedTypes = ["default", "linear", "dynamic", "llama3", "yarn"];

    /// <summary>Reads the rope_scaling object (<paramref name="field"/> names it in errors: rope_scaling or rope_parameters).</summary>
    public static RopeScaling Parse(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return None;
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(field, $"expected an object with \"rope_type\", got {value.ValueKind}");
        var typeName = String(value, "rope_type") ?? String(value, "type") ?? "default";
        var type = typeName switch
        {
            "default" => RopeScalingType.Default,
            "linear" => RopeScalingType.Linear,
            "dynamic" => RopeScalingType.Dynamic,
            "llama3" => RopeScalingType.Llama3,
            "yarn" => RopeScalingType.Yarn,
            _ => throw Error(field, $"rope type '{typeName}' is not supported; supported: {string.Join(", ", SupportedTypes)}"),
        };
        return type switch
        {
            RopeScalingType.Default => None,
            RopeScalingType.Linear or RopeScalingType.Dynamic => new RopeScaling { Type = type, Factor = ReadFactor(value, field) },
            RopeScalingType.Llama3 => ParseLlama3(value, field),
            _ => ParseYarn(value, field),
        };
    }

    private static RopeScaling ParseLlama3(JsonElement value, string field)
    {
        var low = Number(value, field, "low_freq_factor") ?? throw Error($"{field}.low_freq_factor", "missing (required by rope type llama3)");
        var high = Number(value, field, "high_freq_factor") ?? throw Error($"{field}.high_freq_factor", "missing (required by rope type llama3)");
        if (!(high > low) || !(low > 0))
            throw Error($"{field}.high_freq_factor", $"{high} must be greater than low_freq_factor ({low}) > 0");
        return new RopeScaling
        {
            Type = RopeScalingType.Llama3,
            Factor = ReadFactor(value, field),
            LowFreqFactor = low,
            HighFreqFactor = high,
            OriginalMaxPositions = Integer(value, field, "original_max_position_embeddings")
                ?? throw Error($"{field}.original_max_position_embeddings", "missing (required by rope type llama3)"),
        };
    }

    private static RopeScaling ParseYarn(JsonElement value, string field)
    {
        var attentionFactor = Number(value, field, "attention_factor");
        if (attentionFactor is <= 0)
            throw Error($"{field}.attention_factor", $"{attentionFactor} must be positive");
        var truncate = !value.TryGetProperty("truncate", out var t) || t.ValueKind != JsonValueKind.False;
        return new RopeScaling
        {
            Type = RopeScalingType.Yarn,
            Factor = ReadFactor(value, field),
            OriginalMaxPositions = Integer(value, field, "original_max_position_embeddings"),
            AttentionFactor = attentionFactor,
            BetaFast = Number(value, field, "beta_fast") is { } fast and not 0 ? fast : 32,
            BetaSlow = Number(value, field, "beta_slow") is { } slow and not 0 ? slow : 1,
            Mscale = Number(value, field, "mscale"),
            MscaleAllDim = Number(value, field, "mscale_all_dim"),
            Truncate = truncate,
        };
    }

    private static double ReadFactor(JsonElement value, string field)
    {
        var factor = Number(value, field, "factor") ?? throw Error($"{field}.factor", "missing");
        return factor > 0 ? factor : throw Error($"{field}.factor", $"{factor} must be positive");
    }

    private static string? String(JsonElement value, string name) =>
        value.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement value, string field, string name)
    {
        if (!value.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Error($"{field}.{name}", $"{v} is not a number");
    }

    private static int? Integer(JsonElement value, string field, string name)
    {
        var number = Number(value, field, name);
        if (number is null)
            return null;
        return number == Math.Floor(number.Value) && number is > 0 and <= int.MaxValue ? (int)number.Value
            : throw Error($"{field}.{name}", $"{number} must be a positive integer");
    }

    private static CheckpointException Error(string field, string message) => new(LlamaConfig.FileName, field, message);
}
