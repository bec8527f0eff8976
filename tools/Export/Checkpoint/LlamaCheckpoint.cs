namespace AscendAio.Export.Checkpoint;

/// <summary>
/// A Hugging Face style Llama checkpoint directory: config.json plus one or more *.safetensors files. Opening checks
/// that every tensor the architecture needs is present exactly once with the shape the config implies.
/// </summary>
public sealed class LlamaCheckpoint : IDisposable
{
    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _owner;

    private LlamaCheckpoint(string directory, LlamaConfig config, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> owner)
    {
        Directory = directory;
        Config = config;
        _files = files;
        _owner = owner;
    }

    public string Directory { get; }
    public LlamaConfig Config { get; }

    /// <summary>The dtype the checkpoint stores its embedding in (F32, F16 or BF16).</summary>
    public string StorageDType => _owner[LlamaTensorNames.Embedding].Tensors[LlamaTensorNames.Embedding].DType;

    public static LlamaCheckpoint Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"checkpoint directory '{directory}' does not exist");
        var config = LlamaConfig.Load(directory);
        var paths = System.IO.Directory.GetFiles(directory, "*.safetensors").Order(StringComparer.Ordinal).ToArray();
        if (paths.Length == 0)
            throw new CheckpointException(System.IO.Path.GetFileName(directory), null, "no *.safetensors file in the checkpoint directory");

        var files = new List<SafetensorsFile>();
        try
        {
            var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                var file = SafetensorsFile.Open(path);
                files.Add(file);
                foreach (var name in file.Tensors.Keys)
                {
                    if (owner.TryGetValue(name, out var other))
                        throw new CheckpointException(System.IO.Path.GetFileName(path), name, $"also present in {System.IO.Path.GetFileName(other.Path)}");
                    owner[name] = file;
                }
            }
            Validate(config, owner);
            return new LlamaCheckpoint(directory, config, files, owner);
        }
        catch
        {
            foreach (var f in files)
                f.Dispose();
            throw;
        }
    }

    /// <summary>A tensor converted to float32, row-major in its checkpoint shape.</summary>
    public float[] ReadFloat(string name) =>
        _owner.TryGetValue(name, out var file) ? file.ReadFloat(name)
            : throw new CheckpointException("*.safetensors", name, "missing tensor");

    /// <summary>Elements [<paramref name="firstElement"/>, + destination.Length) of a tensor as float32 (a range of rows).</summary>
    public void ReadFloat(string name, long firstElement, Span<float> destination)
    {
        if (!_owner.TryGetValue(name, out var file))
            throw new CheckpointException("*.safetensors", name, "missing tensor");
        file.ReadFloat(name, firstElement, destination);
    }

    /// <summary>The LM head (out = vocab, in = hidden): lm_head.weight, or the embedding when tied.</summary>
    public float[] ReadLmHead() =>
        ReadFloat(Config.TieWordEmbeddings ? LlamaTensorNames.Embedding : LlamaTensorNames.LmHead);

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }

    private static void Validate(LlamaConfig config, Dictionary<string, SafetensorsFile> owner)
    {
        var expected = LlamaTensorNames.Expected(config).ToList();
        foreach (var (name, shape) in expected)
        {
            if (!owner.TryGetValue(name, out var file))
                throw new CheckpointException("*.safetensors", name, "missing tensor (required by the Llama architecture in config.json)");
            var t = file.Tensors[name];
            if (!t.Shape.SequenceEqual(shape))
                throw new CheckpointException(System.IO.Path.GetFileName(file.Path), name,
                    $"shape ({string.Join(", ", t.Shape)}) does not match config.json, expected ({string.Join(", ", shape)})");
            if (t.DType is not ("F32" or "F16" or "BF16"))
                throw new CheckpointException(System.IO.Path.GetFileName(file.Path), name, $"dtype {t.DType} is not supported (F32, F16, BF16)");
        }
        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in owner.Keys)
        {
            if (!known.Contains(name) && !LlamaTensorNames.IsIgnorable(name, config))
                throw new CheckpointException(System.IO.Path.GetFileName(owner[name].Path), name,
                    "unexpected tensor: not part of the Llama architecture described by config.json");
        }
    }
}
