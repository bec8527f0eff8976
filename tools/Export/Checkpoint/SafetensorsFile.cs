using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Export.Checkpoint;

/// <summary>Where one tensor lies inside a .safetensors file's data section.</summary>
public sealed record SafetensorsTensor(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>
/// A .safetensors file: an 8-byte little-endian header length, a JSON header of
/// name → {dtype, shape, data_offsets: [begin, end)} (offsets relative to the data after the header), then the data.
/// Opening validates the header against the file size; reading converts F32 / F16 / BF16 to float.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;

    private SafetensorsFile(string path, SafeFileHandle handle, long dataStart, Dictionary<string, SafetensorsTensor> tensors)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        Tensors = tensors;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsTensor> Tensors { get; }

    public static SafetensorsFile Open(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw new CheckpointException(name, null, $"truncated: {fileLength} bytes, too short for the 8-byte header length");
            Span<byte> lengthBytes = stackalloc byte[8];
            RandomAccess.Read(handle, lengthBytes, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > MaxHeaderBytes || (long)headerLength > fileLength - 8)
                throw new CheckpointException(name, null, $"header length {headerLength} exceeds the file ({fileLength} bytes): truncated or not a safetensors file");
            var header = new byte[headerLength];
            RandomAccess.Read(handle, header, 8);
            var dataStart = 8 + (long)headerLength;
            var tensors = ParseHeader(name, header, fileLength - dataStart);
            return new SafetensorsFile(path, handle, dataStart, tensors);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads a tensor as float32 (converting F16 / BF16).</summary>
    public float[] ReadFloat(string tensorName)
    {
        var t = FloatTensor(tensorName);
        var result = new float[t.ElementCount];
        ReadFloat(tensorName, 0, result);
        return result;
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length elements of a tensor from element <paramref name="firstElement"/> on,
    /// as float32: a range of rows, so large tensors stream through a small buffer.
    /// </summary>
    public void ReadFloat(string tensorName, long firstElement, Span<float> destination)
    {
        var t = FloatTensor(tensorName);
        if (firstElement < 0 || firstElement + destination.Length > t.ElementCount)
            throw new ArgumentOutOfRangeException(nameof(firstElement), $"elements {firstElement}..{firstElement + destination.Length} are outside '{tensorName}' ({t.ElementCount} elements)");
        var size = SafetensorsDTypes.SizeOf(t.DType);
        var raw = System.Buffers.ArrayPool<byte>.Shared.Rent(destination.Length * size);
        try
        {
            var bytes = raw.AsSpan(0, destination.Length * size);
            var read = RandomAccess.Read(_handle, bytes, _dataStart + t.Begin + firstElement * size);
            if (read != bytes.Length)
                throw new CheckpointException(System.IO.Path.GetFileName(Path), tensorName, $"short read: {read} of {bytes.Length} bytes");
            SafetensorsDTypes.ToFloat(bytes, t.DType, destination);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private SafetensorsTensor FloatTensor(string tensorName)
    {
        var t = Tensors.TryGetValue(tensorName, out var found) ? found
            : throw new CheckpointException(System.IO.Path.GetFileName(Path), tensorName, "no such tensor");
        if (t.DType is not ("F32" or "F16" or "BF16"))
            throw new CheckpointException(System.IO.Path.GetFileName(Path), tensorName, $"dtype {t.DType} is not supported (F32, F16, BF16)");
        return t;
    }

    public void Dispose() => _handle.Dispose();

    private static Dictionary<string, SafetensorsTensor> ParseHeader(string file, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(file, null, $"header is not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(file, null, "header must be a JSON object");
            var tensors = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                var t = ParseEntry(file, entry);
                if (t.End > dataLength)
                    throw new CheckpointException(file, t.Name, $"data_offsets end {t.End} lies beyond the data section ({dataLength} bytes): file truncated");
                tensors.Add(t.Name, t);
            }
            CheckNoOverlap(file, tensors.Values);
            return tensors;
        }
    }

    private static SafetensorsTensor ParseEntry(string file, JsonProperty entry)
    {
        var v = entry.Value;
        if (v.ValueKind != JsonValueKind.Object
            || !v.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !v.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !v.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointException(file, entry.Name, "header entry needs 'dtype' (string), 'shape' (array) and 'data_offsets' ([begin, end])");

        var dims = shape.EnumerateArray().Select(d => d.TryGetInt64(out var x) && x >= 0 ? x
            : throw new CheckpointException(file, entry.Name, $"shape entry {d} is not a non-negative integer")).ToArray();
        var begin = offsets[0].TryGetInt64(out var b) ? b : -1;
        var end = offsets[1].TryGetInt64(out var e) ? e : -1;
        if (begin < 0 || end < begin)
            throw new CheckpointException(file, entry.Name, $"data_offsets [{offsets[0]}, {offsets[1]}] are not a valid range");

        var t = new SafetensorsTensor(entry.Name, dtype.GetString()!, dims, begin, end);
        var size = SafetensorsDTypes.SizeOf(t.DType);
        if (size > 0 && t.ElementCount * size != end - begin)
            throw new CheckpointException(file, entry.Name,
                $"{t.DType} shape ({string.Join(", ", dims)}) needs {t.ElementCount * size} bytes but data_offsets span {end - begin}");
        return t;
    }

    private static void CheckNoOverlap(string file, IEnumerable<SafetensorsTensor> tensors)
    {
        SafetensorsTensor? previous = null;
        foreach (var t in tensors.Where(t => t.End > t.Begin).OrderBy(t => t.Begin))
        {
            if (previous is not null && t.Begin < previous.End)
                throw new CheckpointException(file, t.Name, $"data overlaps tensor '{previous.Name}'");
            previous = t;
        }
    }
}
