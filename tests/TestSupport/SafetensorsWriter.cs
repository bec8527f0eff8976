using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace AscendAio.TestSupport;

/// <summary>
/// Writes a .safetensors file (8-byte little-endian header length, JSON header, data) from float tensors, stored as
/// F32, F16 or BF16. Written independently of the exporter's reader so tests check one against the other.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, long[] Shape, float[] Data)> tensors, string dtype = "F32")
    {
        var elementSize = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => throw new ArgumentException($"dtype {dtype}") };
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            var bytes = (long)data.Length * elementSize;
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;   // the format pads the header with spaces to 8-byte alignment
        using var stream = File.Create(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
        stream.Write(lengthBytes);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        foreach (var (_, _, data) in tensors)
            stream.Write(Encode(data, dtype));
    }

    /// <summary>The value a float takes after storing it as <paramref name="dtype"/> and reading it back.</summary>
    public static float RoundTrip(float value, string dtype) => dtype switch
    {
        "F32" => value,
        "F16" => (float)(Half)value,
        "BF16" => BitConverter.Int32BitsToSingle(BFloat16Bits(value) << 16),
        _ => throw new ArgumentException($"dtype {dtype}"),
    };

    private static byte[] Encode(float[] data, string dtype)
    {
        var size = dtype == "F32" ? 4 : 2;
        var bytes = new byte[data.Length * size];
        for (var i = 0; i < data.Length; i++)
        {
            var dst = bytes.AsSpan(i * size);
            switch (dtype)
            {
                case "F32": BinaryPrimitives.WriteSingleLittleEndian(dst, data[i]); break;
                case "F16": BinaryPrimitives.WriteHalfLittleEndian(dst, (Half)data[i]); break;
                default: BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)BFloat16Bits(data[i])); break;
            }
        }
        return bytes;
    }

    // Round to nearest even on the upper 16 bits (finite inputs only; test weights are small).
    private static int BFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        var rounding = 0x7FFF + ((bits >> 16) & 1);
        return ((bits + rounding) >> 16) & 0xFFFF;
    }
}
