namespace AscendAio.Export.Graphs;

public enum QuantizationMode
{
    /// <summary>float32 weights.</summary>
    None,

    /// <summary>int8 per-output-channel linear weights with float32 scales, dequantized in the graph; activations float32.</summary>
    W8A16,
}

public static class QuantizationModes
{
    public static string ManifestName(this QuantizationMode mode) => mode == QuantizationMode.W8A16 ? "w8a16" : "none";

    public static QuantizationMode Parse(string text) => text.ToLowerInvariant() switch
    {
        "none" or "fp32" or "float32" => QuantizationMode.None,
        "w8a16" => QuantizationMode.W8A16,
        _ => throw new ArgumentException($"unknown quantization '{text}' (expected none or w8a16)"),
    };
}
