namespace AscendAio.Export.Onnx;

/// <summary>
/// One tensor stored in the shared weight file: where it lies and what it is. Graphs reference it as an ONNX
/// initializer with external data, so the bytes exist once on disk for all of a model's graphs.
/// </summary>
public sealed record WeightEntry(string Name, ElementType Type, long[] Dims, long Offset, long Length);

/// <summary>
/// Writes a model's weights into one file (e.g. weights.bin) with every tensor's offset aligned to 64 KiB, so
/// ONNX Runtime can map each tensor straight from the file (the alignment covers Linux pages and Windows'
/// allocation granularity).
/// </summary>
public sealed class ExternalWeightFile : IDisposable
{
    public const int Alignment = 64 * 1024;

    private readonly FileStream _stream;
    private readonly Dictionary<string, WeightEntry> _entries = new(StringComparer.Ordinal);

    public ExternalWeightFile(string path)
    {
        Path = path;
        FileName = System.IO.Path.GetFileName(path);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    }

    public string Path { get; }

    /// <summary>The location graphs write in their external_data (relative to the graph file's directory).</summary>
    public string FileName { get; }

    public IReadOnlyDictionary<string, WeightEntry> Entries => _entries;

    /// <summary>Bytes of tensor data (without alignment padding): what one forward pass streams at most.</summary>
    public long DataBytes { get; private set; }

    public WeightEntry Add(string name, ElementType type, long[] dims, ReadOnlySpan<byte> data)
    {
        var expected = ElementTypes.ElementCount(dims) * type.SizeOf();
        if (data.Length != expected)
            throw new ArgumentException($"weight '{name}': {data.Length} bytes for shape ({string.Join(", ", dims)}) of {type.ManifestName()}, expected {expected}");
        if (_entries.ContainsKey(name))
            throw new ArgumentException($"weight '{name}' was added twice");

        var offset = (_stream.Position + Alignment - 1) / Alignment * Alignment;
        _stream.Seek(offset, SeekOrigin.Begin);   // the gap reads as zeros (a hole where the file system supports it)
        _stream.Write(data);
        var entry = new WeightEntry(name, type, dims, offset, data.Length);
        _entries.Add(name, entry);
        DataBytes += data.Length;
        return entry;
    }

    public WeightEntry this[string name] =>
        _entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"weight '{name}' is not in {FileName}");

    public void Dispose() => _stream.Dispose();
}
