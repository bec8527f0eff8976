namespace AscendAio.Engine.Planning;

/// <summary>
/// How a model's weights, activations and KV cache are stored on the device. W8A16: every Linear matrix in int8
/// with one scale per output row, everything else (embedding, norms, biases, activations, KV) in float16.
/// </summary>
public enum WeightFormat
{
    Float32,
    Float16,
    BFloat16,
    W8A16,
}

public static class WeightFormats
{
    /// <summary>Bytes of one activation / KV element (float32 4; float16, bfloat16 and W8A16's activations 2).</summary>
    public static int ActivationBytes(this WeightFormat format) => format == WeightFormat.Float32 ? 4 : 2;

    /// <summary>Bytes of one non-quantized weight element.</summary>
    public static int FloatWeightBytes(this WeightFormat format) => format.ActivationBytes();

    /// <summary>The spelling `aio export --dtype` and bundle.json use.</summary>
    public static string Name(this WeightFormat format) => format switch
    {
        WeightFormat.Float32 => "float32",
        WeightFormat.Float16 => "float16",
        WeightFormat.BFloat16 => "bfloat16",
        _ => "w8a16",
    };

    public static bool TryParse(string? text, out WeightFormat format)
    {
        foreach (var candidate in Enum.GetValues<WeightFormat>())
        {
            if (string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }
}
