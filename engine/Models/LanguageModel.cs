using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;

namespace AscendAio.Engine.Models;

/// <summary>
/// A bundle's graphs loaded onto a device, with a pool of KV caches. Several models can be resident on one
/// device at once (the probe and the backbone). One graph executes at a time per model: <see cref="Sequence"/>
/// operations take <see cref="Gate"/>.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    private readonly GraphRunner[] _runners;
    private long _forwardPasses;

    private LanguageModel(Device device, ModelBundle bundle, GraphRunner[] runners, long graphBytes, int maxIdleCaches)
    {
        Device = device;
        Bundle = bundle;
        _runners = runners;
        GraphDeviceBytes = graphBytes;
        Caches = new KvCachePool(device, bundle.Manifest.KvLayout, bundle.Manifest.MaxContext, maxIdleCaches);
    }

    public Device Device { get; }

    public ModelBundle Bundle { get; }

    public BundleManifest Manifest => Bundle.Manifest;

    public BundleTokenizer Tokenizer => Bundle.Tokenizer;

    public string Name => Bundle.Name;

    public int MaxContext => Manifest.MaxContext;

    /// <summary>Positions the loaded graphs can address: the largest loaded decode gear (≤ <see cref="MaxContext"/>).</summary>
    public int ContextLimit { get; private init; }

    public int VocabSize => Manifest.Model.VocabSize;

    /// <summary>Id fed into unused token slots of a graph call.</summary>
    public int PadId => Tokenizer.PadId ?? Tokenizer.EosId ?? 0;

    public KvCachePool Caches { get; }

    /// <summary>Device memory the graphs took at load (weights, buffers, workspace), measured with aclrtGetMemInfo.</summary>
    public long GraphDeviceBytes { get; }

    /// <summary>Bytes of weights one forward pass reads (from the bundle).</summary>
    public long WeightBytes => Manifest.Weights.Bytes;

    /// <summary>Forward passes run so far, all sequences together.</summary>
    public long ForwardPasses => Interlocked.Read(ref _forwardPasses);

    internal Lock Gate { get; } = new();

    /// <summary>Whether the bundle was loaded with logits graphs (needed for sampling and the probe).</summary>
    public bool HasLogits => _runners.Any(r => r.Spec.Variant == GraphVariant.Logits);

    /// <summary>
    /// Loads <paramref name="bundle"/>'s graphs onto <paramref name="device"/>. By default every graph is loaded;
    /// <paramref name="options"/> can leave out the logits variants or gears to save memory.
    /// </summary>
    public static LanguageModel Load(Device device, ModelBundle bundle, LanguageModelOptions? options = null)
    {
        options ??= new LanguageModelOptions();
        var specs = bundle.Manifest.Graphs
            .Where(g => options.LoadLogits || g.Variant == GraphVariant.Greedy)
            .Where(g => options.Gears is not { } gears || gears.Contains(g.Gear))
            .ToList();
        if (!specs.Any(g => g.Kind == GraphKind.Decode && g.Variant == GraphVariant.Greedy))
            throw new InvalidDataException($"bundle '{bundle.Directory}' has no greedy decode graph among the selected gears");
        var before = device.GetMemoryInfo().Free;
        var runners = new List<GraphRunner>(specs.Count);
        try
        {
            foreach (var spec in specs)
                runners.Add(new GraphRunner(device, bundle.Directory, spec, bundle.Manifest.KvLayout));
        }
        catch
        {
            foreach (var runner in runners)
                runner.Dispose();
            throw;
        }
        var graphBytes = before - device.GetMemoryInfo().Free;
        var limit = runners.Where(r => r.Spec.Kind == GraphKind.Decode && r.Spec.Variant == GraphVariant.Greedy).Max(r => r.Gear);
        return new LanguageModel(device, bundle, runners.ToArray(), graphBytes, options.MaxIdleCaches) { ContextLimit = Math.Min(limit, bundle.Manifest.MaxContext) };
    }

    /// <summary>Starts a sequence with an empty KV cache from the pool.</summary>
    public Sequence CreateSequence() => new(this, Caches.Rent());

    /// <summary>Device memory of this model: graphs (weights included), KV caches in use and pooled.</summary>
    public ModelMemoryReport MemoryReport() => new(Name, WeightBytes, GraphDeviceBytes, Caches.BytesPerCache,
        Caches.InUse, Caches.Idle);

    /// <summary>The graph of a kind with the smallest gear that covers positions 0..<paramref name="positions"/>-1, or null.</summary>
    internal GraphRunner? Find(GraphKind kind, GraphVariant variant, int positions)
    {
        GraphRunner? best = null;
        foreach (var runner in _runners)
        {
            if (runner.Spec.Kind == kind && runner.Spec.Variant == variant && runner.Gear >= positions && (best is null || runner.Gear < best.Gear))
                best = runner;
        }
        return best;
    }

    internal void CountForwardPass() => Interlocked.Increment(ref _forwardPasses);

    public override string ToString() => $"{Name} ({Manifest.Model.Layers} layers, hidden {Manifest.Model.HiddenSize}, ctx {MaxContext})";

    public void Dispose()
    {
        Caches.Dispose();
        foreach (var runner in _runners)
            runner.Dispose();
    }
}

/// <summary>What to load of a bundle.</summary>
public sealed record LanguageModelOptions
{
    /// <summary>Load the logits graphs (sampling, probe). Greedy graphs are always loaded.</summary>
    public bool LoadLogits { get; init; } = true;

    /// <summary>The KV-length gears to load (null = all); fewer gears save memory and cap the context.</summary>
    public IReadOnlySet<int>? Gears { get; init; }

    /// <summary>Idle KV caches kept for reuse.</summary>
    public int MaxIdleCaches { get; init; } = 2;
}

/// <summary>A model's device memory, in bytes.</summary>
public sealed record ModelMemoryReport(string Model, long WeightBytes, long GraphDeviceBytes, long KvBytesPerSequence, int KvCachesInUse, int KvCachesIdle)
{
    public long KvBytes => KvBytesPerSequence * (KvCachesInUse + KvCachesIdle);

    public long TotalBytes => GraphDeviceBytes + KvBytes;
}
