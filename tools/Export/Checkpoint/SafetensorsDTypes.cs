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
        switch (dtype)
        {
            case "F32":
            {
                var result = new float[raw.Length / 4];
                for (var i = 0; i < result.Length; i++)
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4));
                return result;
            }
            case "F16":
            {
                var result = new float[raw.Length / 2];
                for (var i = 0; i < result.Length; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw.Slice(i * 2));
                return result;
            }
            case "BF16":
            {
                var result = new float[raw.Length / 2];
                for (var i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2)) << 16);
                return result;
            }
            default:
                throw new NotSupportedException($"dtype {dtype} is not a supported weight type (F32, F16, BF16)");
        }
    }
}
