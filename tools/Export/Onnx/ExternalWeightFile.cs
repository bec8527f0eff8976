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
        var entry = Begin(name, type, dims);
        _stream.Write(data);
        return End(entry);
    }

    /// <summary>
    /// Adds a tensor whose bytes <paramref name="writeData"/> appends in pieces (e.g. a range of rows at a time), so
    /// a tensor larger than any one buffer streams through; the bytes written must be exactly the tensor's size.
    /// </summary>
    public WeightEntry Add(string name, ElementType type, long[] dims, Action<Stream> writeData)
    {
        var entry = Begin(name, type, dims);
        writeData(_stream);
        return End(entry);
    }

    private WeightEntry Begin(string name, ElementType type, long[] dims)
    {
        if (_entries.ContainsKey(name))
            throw new ArgumentException($"weight '{name}' was added twice");
        var offset = (_stream.Position + Alignment - 1) / Alignment * Alignment;
        _stream.Seek(offset, SeekOrigin.Begin);   // the gap reads as zeros (a hole where the file system supports it)
        return new WeightEntry(name, type, dims, offset, ElementTypes.ElementCount(dims) * type.SizeOf());
    }

    private WeightEntry End(WeightEntry entry)
    {
        var written = _stream.Position - entry.Offset;
        if (written != entry.Length)
            throw new ArgumentException($"weight '{entry.Name}': {written} bytes for shape ({string.Join(", ", entry.Dims)}) of {entry.Type.ManifestName()}, expected {entry.Length}");
        _entries.Add(entry.Name, entry);
        DataBytes += entry.Length;
        return entry;
    }

    public WeightEntry this[string name] =>
        _entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"weight '{name}' is not in {FileName}");

    public void Dispose() => _stream.Dispose();
}
