using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Export.Tests.Parity;

/// <summary>
/// Runs bundle graphs through the engine's ACL path on the device: one KV cache buffer in device memory, each
/// graph's kv input bound to the cache prefix of its gear (no copy), kv_new rows committed with one
/// device-to-device copy. Graphs are loaded once per runner.
/// </summary>
public sealed class AclBundleRunner : IBundleRunner
{
    private readonly string _directory;
    private readonly Device _device;
    private readonly DeviceBuffer _cache;
    private readonly Dictionary<string, Graph> _graphs = new();
    private Graph? _last;

    public AclBundleRunner(string bundleDirectory)
    {
        _directory = bundleDirectory;
        Manifest = BundleManifest.Load(bundleDirectory);
        _device = Device.Open();
        _cache = _device.Allocate(Manifest.KvLayout.BytesFor(Manifest.MaxContext));
    }

    public BundleManifest Manifest { get; }

    public GraphOutputs Run(BundleGraph spec, ReadOnlySpan<long> tokens, long pos)
    {
        if (!_graphs.TryGetValue(spec.Name, out var graph))
        {
            graph = Graph.Load(_device, Path.Combine(_directory, spec.File));
            graph.BindInput(graph.InputIndex("kv"), _cache, 0, Manifest.KvLayout.BytesFor(spec.Gear));
            _graphs[spec.Name] = graph;
        }
        graph.InputBuffer(graph.InputIndex("tokens")).Write(tokens);
        graph.InputBuffer(graph.InputIndex("pos")).Write<long>([pos]);
        graph.Execute();
        _last = graph;

        var kvNew = graph.OutputBuffer(graph.OutputIndex("kv_new")).ToArray<float>();
        long[]? ids = null;
        long? accepted = null;
        float[]? logits = null;
        foreach (var output in graph.Outputs)
        {
            var buffer = graph.OutputBuffer(graph.OutputIndex(output.Name));
            switch (output.Name)
            {
                case "next_ids": ids = buffer.ToArray<long>(); break;
                case "accepted": accepted = buffer.ToArray<long>()[0]; break;
                case "logits": logits = buffer.ToArray<float>(); break;
            }
        }
        return new GraphOutputs(kvNew, ids, accepted, logits);
    }

    public void CommitLast(long pos, int rows)
    {
        var kvNew = (_last ?? throw new InvalidOperationException("no graph has run yet")).OutputBuffer(_last.OutputIndex("kv_new"));
        _cache.CopyFrom(kvNew, 0, Manifest.KvLayout.BytesFor(pos), Manifest.KvLayout.BytesFor(rows));
    }

    public void Poison(byte value) => _cache.Fill(value);

    public void Dispose()
    {
        foreach (var graph in _graphs.Values)
            graph.Dispose();
        _cache.Dispose();
        _device.Dispose();
    }
}

/// <summary>The runner the parity tests use: the engine's ACL path.</summary>
public static class BundleRunners
{
    public static IBundleRunner Open(string bundleDirectory) => new AclBundleRunner(bundleDirectory);
}
