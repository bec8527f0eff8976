using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// One loaded bundle graph with its host-side scratch: writes tokens and pos, binds the KV-cache prefix,
/// executes, and reads back only what the caller needs (ids under greedy, one logits row when sampling).
/// Not thread-safe: the owning <see cref="LanguageModel"/> serialises access.
/// </summary>
internal sealed class GraphRunner : IDisposable
{
    private readonly int _tokensIndex, _posIndex, _kvIndex, _kvNewIndex, _nextIdsIndex = -1, _acceptedIndex = -1, _logitsIndex = -1;
    private readonly long[] _tokens;   // (T)
    private readonly long[] _pos = new long[1];
    private readonly long[] _nextIds;  // (T)
    private readonly long[] _accepted = new long[1];
    private readonly long _kvBytes;    // (G, layers, 2, kv_heads, head_dim) float32
    private KvCache? _boundCache;

    public GraphRunner(Device device, string bundleDirectory, BundleGraph spec, KvLayout layout)
    {
        Spec = spec;
        Graph = Graph.Load(device, Path.Combine(bundleDirectory, spec.File));
        _tokensIndex = Graph.InputIndex("tokens");
        _posIndex = Graph.InputIndex("pos");
        _kvIndex = Graph.InputIndex("kv");
        _kvNewIndex = Graph.OutputIndex("kv_new");
        if (spec.Variant == GraphVariant.Greedy)
            _nextIdsIndex = Graph.OutputIndex("next_ids");
        else
            _logitsIndex = Graph.OutputIndex("logits");
        if (spec.Kind == GraphKind.Verify && spec.Variant == GraphVariant.Greedy)
            _acceptedIndex = Graph.OutputIndex("accepted");
        _tokens = new long[spec.Tokens];
        _nextIds = new long[spec.Tokens];
        _kvBytes = layout.BytesFor(spec.Gear);
        if (Graph.Inputs[_kvIndex].ByteSize != _kvBytes)
            throw new InvalidDataException($"graph '{spec.Name}': kv input is {Graph.Inputs[_kvIndex].ByteSize} bytes but the bundle's KV layout says {_kvBytes}");
        // Allocate the small inputs once, up front.
        Graph.InputBuffer(_tokensIndex);
        Graph.InputBuffer(_posIndex);
    }

    public BundleGraph Spec { get; }

    public Graph Graph { get; }

    public int Tokens => Spec.Tokens;

    public int Gear => Spec.Gear;

    /// <summary>kv_new (T, layers, 2, kv_heads, head_dim) of the last run.</summary>
    public DeviceBuffer KvNew => Graph.OutputBuffer(_kvNewIndex);

    /// <summary>Runs the graph for <paramref name="tokens"/> (padded to T) at cache position <paramref name="position"/>.</summary>
    public void Run(ReadOnlySpan<int> tokens, int position, KvCache cache, int padId)
    {
        for (var i = 0; i < _tokens.Length; i++)
            _tokens[i] = i < tokens.Length ? tokens[i] : padId;
        _pos[0] = position;
        Graph.InputBuffer(_tokensIndex).Write<long>(_tokens);
        Graph.InputBuffer(_posIndex).Write<long>(_pos);
        if (!ReferenceEquals(_boundCache, cache))
        {
            Graph.BindInput(_kvIndex, cache.Buffer, 0, _kvBytes);
            _boundCache = cache;
        }
        Graph.Execute();
    }

    /// <summary>The argmax ids of the first <paramref name="count"/> positions (greedy graphs).</summary>
    public ReadOnlySpan<long> ReadNextIds(int count)
    {
        var ids = _nextIds.AsSpan(0, count);
        Graph.OutputBuffer(_nextIdsIndex).Read(ids);
        return ids;
    }

    /// <summary>The in-graph verifier's accepted draft length (verify graphs).</summary>
    public int ReadAccepted()
    {
        Graph.OutputBuffer(_acceptedIndex).Read<long>(_accepted);
        return (int)_accepted[0];
    }

    /// <summary>Reads the logits of position <paramref name="row"/> into <paramref name="destination"/> (logits graphs).</summary>
    public void ReadLogits(int row, Span<float> destination) =>
        Graph.OutputBuffer(_logitsIndex).Read(destination, (long)row * destination.Length * sizeof(float));

    public void Dispose() => Graph.Dispose();
}
