using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;

namespace AscendAio.Engine.Models;

/// <summary>
/// A bundle's graph loaded onto a device, with a pool of KV caches. Several models can be resident on one device at
/// once (the probe and the backbone), each with its weights once. One graph call runs at a time per model:
/// <see cref="Sequence"/> operations take <see cref="Gate"/>, in arrival order, a prefill once per chunk.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    private readonly ModelGraph _graph;
    private long _forwardPasses;

    private LanguageModel(Device device, ModelBundle bundle, ModelGraph graph, long graphBytes, int maxIdleCaches)
    {
        Device = device;
        Bundle = bundle;
        _graph = graph;
        GraphDeviceBytes = graphBytes;
        Caches = new KvCachePool(device, bundle.Manifest.KvLayout, bundle.Manifest.Gears, maxIdleCaches);
    }

    public Device Device { get; }

    public ModelBundle Bundle { get; }

    public BundleManifest Manifest => Bundle.Manifest;

    public BundleTokenizer Tokenizer => Bundle.Tokenizer;

    public string Name => Bundle.Name;

    public int MaxContext => Manifest.MaxContext;

    /// <summary>Positions a sequence can reach: the largest gear (= the max context).</summary>
    public int ContextLimit => Math.Min(Manifest.Gears[^1], Manifest.MaxContext);

    public int VocabSize => Manifest.Model.VocabSize;

    /// <summary>Id fed into unused token slots of a graph call.</summary>
    public int PadId => Tokenizer.PadId ?? Tokenizer.EosId ?? 0;

    public KvCachePool Caches { get; }

    /// <summary>Device memory the graph took at load (weights, buffers, workspace), measured with aclrtGetMemInfo.</summary>
    public long GraphDeviceBytes { get; }

    /// <summary>Bytes of weights one forward pass reads (from the bundle).</summary>
    public long WeightBytes => Manifest.Weights.Bytes;

    /// <summary>Forward passes run so far, all sequences together.</summary>
    public long ForwardPasses => Interlocked.Read(ref _forwardPasses);

    internal ModelGate Gate { get; } = new();

    internal ModelGraph Graph => _graph;

    /// <summary>Loads <paramref name="bundle"/>'s graph onto <paramref name="device"/> and checks it against bundle.json.</summary>
    public static LanguageModel Load(Device device, ModelBundle bundle, LanguageModelOptions? options = null)
    {
        options ??= new LanguageModelOptions();
        var before = device.GetMemoryInfo().Free;
        var graph = new ModelGraph(device, bundle);
        var graphBytes = before - device.GetMemoryInfo().Free;
        return new LanguageModel(device, bundle, graph, graphBytes, options.MaxIdleCaches);
    }

    /// <summary>Starts a sequence; its KV cache is rented at the first call, at the gear its positions need.</summary>
    public Sequence CreateSequence() => new(this);

    /// <summary>Device memory of this model: the graph (weights included) and the KV caches in use and pooled.</summary>
    public ModelMemoryReport MemoryReport() => new(Name, WeightBytes, GraphDeviceBytes, Manifest.KvLayout.BytesPerPosition,
        Manifest.KvLayout.BytesFor(ContextLimit), Caches.InUse, Caches.BytesInUse, Caches.Idle, Caches.BytesIdle);

    internal void CountForwardPass() => Interlocked.Increment(ref _forwardPasses);

    public override string ToString() => $"{Name} ({Manifest.Model.Layers} layers, hidden {Manifest.Model.HiddenSize}, ctx {MaxContext})";

    public void Dispose()
    {
        Caches.Dispose();
        _graph.Dispose();
    }
}

/// <summary>How to hold a loaded bundle.</summary>
public sealed record LanguageModelOptions
{
    /// <summary>Idle KV caches kept for reuse (all gears together).</summary>
    public int MaxIdleCaches { get; init; } = 2;
}

/// <summary>A model's device memory, in bytes; KV caches are allocated by gear, so their bytes follow the sequences' lengths.</summary>
public sealed record ModelMemoryReport(string Model, long WeightBytes, long GraphDeviceBytes, long KvBytesPerPosition,
    long KvBytesAtMaxContext, int KvCachesInUse, long KvBytesInUse, int KvCachesIdle, long KvBytesIdle)
{
    public long KvBytes => KvBytesInUse + KvBytesIdle;

    public long TotalBytes => GraphDeviceBytes + KvBytes;
}
