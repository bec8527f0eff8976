using System.Buffers.Binary;

namespace AscendAio.Export.Onnx;

/// <summary>
/// float32 values written as the bytes of a floating element type (little-endian, as ONNX raw and external data
/// store them): float32 as is, float16 and bfloat16 rounded to nearest, ties to even.
/// </summary>
public static class FloatEncoding
{
    public static bool IsFloat(this ElementType type) => type is ElementType.Float32 or ElementType.Float16 or ElementType.BFloat16;

    /// <summary>Encodes <paramref name="values"/> into <paramref name="destination"/> (values.Length · size of <paramref name="type"/> bytes).</summary>
    public static void Encode(ReadOnlySpan<float> values, ElementType type, Span<byte> destination)
    {
        var size = type.SizeOf();
        if (destination.Length != values.Length * size)
            throw new ArgumentException($"{destination.Length} bytes for {values.Length} {type.ManifestName()} values");
        switch (type)
        {
            case ElementType.Float32:
                for (var i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * 4), values[i]);
                return;
            case ElementType.Float16:
                for (var i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteHalfLittleEndian(destination.Slice(i * 2), (Half)values[i]);
                return;
            case ElementType.BFloat16:
                for (var i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(i * 2), ToBFloat16Bits(values[i]));
                return;
            default:
                throw new ArgumentException($"{type.ManifestName()} is not a floating type");
        }
    }

    /// <summary>Decodes little-endian elements of a floating <paramref name="type"/> into <paramref name="destination"/> (one value per element).</summary>
    public static void Decode(ReadOnlySpan<byte> raw, ElementType type, Span<float> destination)
    {
        var size = type.SizeOf();
        if (raw.Length < destination.Length * size)
            throw new ArgumentException($"{raw.Length} bytes hold fewer than {destination.Length} {type.ManifestName()} values");
        switch (type)
        {
            case ElementType.Float32:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4));
                return;
            case ElementType.Float16:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw.Slice(i * 2));
                return;
            case ElementType.BFloat16:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = FromBFloat16Bits(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2)));
                return;
            default:
                throw new ArgumentException($"{type.ManifestName()} is not a floating type");
        }
    }

    public static float[] Decode(ReadOnlySpan<byte> raw, ElementType type)
    {
        var values = new float[raw.Length / type.SizeOf()];
        Decode(raw, type, values);
        return values;
    }

    /// <summary>The floating type bundle.json names <paramref name="name"/> (float32, float16, bfloat16).</summary>
    public static ElementType ParseFloat(string name) => name switch
    {
        "float32" => ElementType.Float32,
        "float16" => ElementType.Float16,
        "bfloat16" => ElementType.BFloat16,
        _ => throw new ArgumentException($"'{name}' is not a floating type (float32, float16, bfloat16)"),
    };

    public static byte[] Encode(ReadOnlySpan<float> values, ElementType type)
    {
        var bytes = new byte[values.Length * type.SizeOf()];
        Encode(values, type, bytes);
        return bytes;
    }

    /// <summary>The upper 16 bits of the float32, rounded to nearest even; NaN stays a (quiet) NaN.</summary>
    public static ushort ToBFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x0040);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>The float32 a bfloat16 bit pattern stands for.</summary>
    public static float FromBFloat16Bits(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary><paramref name="value"/> rounded to <paramref name="type"/> and back: what a tensor of that type holds.</summary>
    public static float Round(float value, ElementType type) => type switch
    {
        ElementType.Float32 => value,
        ElementType.Float16 => (float)(Half)value,
        ElementType.BFloat16 => FromBFloat16Bits(ToBFloat16Bits(value)),
        _ => throw new ArgumentException($"{type.ManifestName()} is not a floating type"),
    };
}
