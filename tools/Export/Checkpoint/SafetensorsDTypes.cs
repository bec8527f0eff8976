using AscendAio.Export.Onnx;
using System.Buffers.Binary;

namespace AscendAio.Export.Checkpoint;

/// <summary>safetensors dtype names, their sizes, and conversion of the float ones to float32.</summary>
public static class SafetensorsDTypes
{
    /// <summary>Bytes per element, or 0 for a dtype we do not know (validated only when read).</summary>
    public static int SizeOf(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    public static float[] ToFloat(ReadOnlySpan<byte> raw, string dtype)
    {
        var size = SizeOf(dtype);
        var result = new float[size == 0 ? 0 : raw.Length / size];
        ToFloat(raw, dtype, result);
        return result;
    }

    /// <summary>Converts <paramref name="raw"/> (little-endian F32 / F16 / BF16 elements) into <paramref name="destination"/>.</summary>
    public static void ToFloat(ReadOnlySpan<byte> raw, string dtype, Span<float> destination) =>
        FloatEncoding.Decode(raw, dtype switch
        {
            "F32" => ElementType.Float32,
            "F16" => ElementType.Float16,
            "BF16" => ElementType.BFloat16,
            _ => throw new NotSupportedException($"dtype {dtype} is not a supported weight type (F32, F16, BF16)"),
        }, destination);
}
