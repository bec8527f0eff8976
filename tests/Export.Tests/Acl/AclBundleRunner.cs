using AscendAio.Export.Onnx;
using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Export.Tests.Parity;

/// <summary>
/// Runs the bundle's graph through the ACL path on the device: a host mirror of the cache (2, layers, kv_heads,
/// max_context, head_dim) is written to a device cache at the call's window before each run, the window is chosen
/// with aclmdlSetInputDynamicDims, and kv_new tokens are committed into the mirror. The graph is loaded once: the
/// one the CPU device runs (the ONNX, or its float32-emulated twin for bfloat16). KV values cross in the bundle's
/// dtype; the mirror holds them as float32 (exact: every value came out of, or is rounded to, the dtype).
/// </summary>
public sealed unsafe class AclBundleRunner : IBundleRunner
{
    private readonly Device _device;
    private readonly Graph _graph;
    private readonly float[] _mirror;   // (2, layers, kv_heads, max_context, head_dim)
    private readonly Dictionary<int, DeviceBuffer> _caches = new();
    private readonly ElementType _kvType;
    private int _lastTokens;

    public AclBundleRunner(string bundleDirectory)
    {
        Manifest = BundleManifest.Load(bundleDirectory);
        _device = Device.Open();
        _graph = Graph.Load(_device, Path.Combine(bundleDirectory, Manifest.Graph.CpuOnnxFile ?? Manifest.Graph.OnnxFile));
        _kvType = FloatEncoding.ParseFloat(Manifest.KvLayout.DType);
        var kv = Manifest.KvLayout;
        _mirror = new float[2 * kv.Layers * kv.KvHeads * Manifest.MaxContext * kv.HeadDim];
    }

    public BundleManifest Manifest { get; }

    private KvLayout Kv => Manifest.KvLayout;

    public GraphOutputs Run(ReadOnlySpan<long> tokens, long pos, int window)
    {
        if (!_caches.TryGetValue(window, out var cache))
            _caches[window] = cache = _device.Allocate(Kv.BytesFor(window));
        // Mirror → device cache at this window: each (k|v, layer, head) run keeps its first `window` slots.
        cache.Write<byte>(FloatEncoding.Encode(KvWindow(window), _kvType));

        _graph.InputBuffer(_graph.InputIndex(GraphNames.Tokens)).Write(tokens);
        _graph.InputBuffer(_graph.InputIndex(GraphNames.Position)).Write<long>([pos]);
        _graph.BindInput(_graph.InputIndex(GraphNames.PastKeys), cache, 0, Kv.BlockBytes(window));
        _graph.BindInput(_graph.InputIndex(GraphNames.PastValues), cache, Kv.BlockBytes(window), Kv.BlockBytes(window));
        _graph.InputBuffer(_graph.DynamicDimsInputIndex);
        _graph.SetDynamicDims(GearDims(tokens.Length, window));
        _graph.Execute();
        _lastTokens = tokens.Length;

        var kvNew = ReadKvNew(tokens.Length);
        var ids = Read<long>(GraphNames.NextIds, tokens.Length);
        var accepted = Read<long>(GraphNames.Accepted, 1)[0];
        var logits = Read<float>(GraphNames.Logits, tokens.Length * Manifest.Model.VocabSize);
        return new GraphOutputs(kvNew, ids, accepted, logits);
    }

    public void CommitLast(long pos, int rows)
    {
        var kvNew = ReadKvNew(_lastTokens);
        int hd = Kv.HeadDim, heads = Kv.KvHeads;
        for (var l = 0; l < Kv.Layers; l++)
            for (var s = 0; s < 2; s++)
                for (var h = 0; h < heads; h++)
                {
                    var source = ((l * 2 + s) * heads + h) * _lastTokens * hd;
                    var destination = ((s * Kv.Layers + l) * heads + h) * Manifest.MaxContext * hd + (int)pos * hd;
                    kvNew.AsSpan(source, rows * hd).CopyTo(_mirror.AsSpan(destination));
                }
    }

    public void Poison(float value) => _mirror.AsSpan().Fill(value);

    /// <summary>The committed cache at <paramref name="window"/> slots, (2, layers, kv_heads, window, head_dim): what a call at that window reads.</summary>
    public float[] KvWindow(int window)
    {
        var staged = new float[Kv.BytesFor(window) / Kv.ElementBytes];
        for (var r = 0; r < Kv.Runs; r++)
            _mirror.AsSpan(r * Manifest.MaxContext * Kv.HeadDim, window * Kv.HeadDim).CopyTo(staged.AsSpan(r * window * Kv.HeadDim));
        return staged;
    }

    private float[] ReadKvNew(int tokens)
    {
        var count = Kv.Layers * 2 * Kv.KvHeads * tokens * Kv.HeadDim;
        return FloatEncoding.Decode(Read<byte>(GraphNames.KvNew, count * Kv.ElementBytes), _kvType);
    }

    private T[] Read<T>(string output, int count) where T : unmanaged
    {
        var values = new T[count];
        _graph.OutputBuffer(_graph.OutputIndex(output)).Read<T>(values);
        return values;
    }

    /// <summary>Every input's shape at (tokens, window), concatenated in input order: tokens, pos, past_k, past_v.</summary>
    private aclmdlIODims GearDims(int tokens, int window)
    {
        long[] past = [Kv.Layers, 1, Kv.KvHeads, window, Kv.HeadDim];
        return Graph.DimsOf([1, tokens, 1, .. past, .. past]);
    }

    public void Dispose()
    {
        _graph.Dispose();
        foreach (var cache in _caches.Values)
            cache.Dispose();
        _device.Dispose();
    }
}

/// <summary>The runner the parity tests use: the engine's ACL path.</summary>
public static class BundleRunners
{
    public static IBundleRunner Open(string bundleDirectory) => new AclBundleRunner(bundleDirectory);
}
