using System.Buffers.Binary;
using AscendAio.Export.Onnx;

namespace AscendAio.Export.Tests.Parity;

public enum KvElementType { Float32, Float16, BFloat16 }

/// <summary>The floating KV types bundle.json names, and their bytes to and from float32 for the test runner's host mirror.</summary>
internal static class KvElementTypes
{
    public static KvElementType Parse(string dtype) => dtype switch
    {
        "float32" => KvElementType.Float32,
        "float16" => KvElementType.Float16,
        "bfloat16" => KvElementType.BFloat16,
        _ => throw new ArgumentException($"KV dtype '{dtype}' is not a floating type"),
    };

    private static ElementType ToElementType(KvElementType type) => type switch
    {
        KvElementType.Float32 => ElementType.Float32,
        KvElementType.Float16 => ElementType.Float16,
        _ => ElementType.BFloat16,
    };

    public static byte[] Encode(ReadOnlySpan<float> values, KvElementType type) => FloatEncoding.Encode(values, ToElementType(type));

    public static float[] Decode(ReadOnlySpan<byte> bytes, KvElementType type)
    {
        var size = ToElementType(type).SizeOf();
        var values = new float[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            var b = bytes.Slice(i * size, size);
            values[i] = type switch
            {
                KvElementType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b),
                KvElementType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(b),
                _ => FloatEncoding.FromBFloat16Bits(BinaryPrimitives.ReadUInt16LittleEndian(b)),
            };
        }
        return values;
    }
}
