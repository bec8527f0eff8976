using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// The model's one loaded graph with its host-side scratch: writes tokens and pos, binds the KV cache's regions in
/// place, selects the call's profile (a dynamic-dims gear), executes, and reads back only what the caller needs.
/// Loads the .om on CANN and the ONNX on the CPU device. Not thread-safe: the owning <see cref="LanguageModel"/>
/// serialises access.
/// </summary>
internal sealed unsafe class ModelGraph : IDisposable
{
    private readonly KvLayout _layout;
    private readonly int _tokensIndex, _posIndex, _keysIndex, _valuesIndex, _kvNewIndex, _logitsIndex, _nextIdsIndex, _acceptedIndex;
    private readonly Dictionary<GraphProfile, int> _profiles = [];
    private readonly aclmdlIODims[] _gearDims;            // per profile: every input's shape concatenated (aclmdlSetInputDynamicDims)
    private readonly long[] _tokens;                      // (max batch · tokens)
    private readonly long[] _pos;                         // (max batch)
    private readonly long[] _nextIds;                     // (max batch · tokens)
    private readonly long[] _accepted;                    // (max batch)
    private GraphProfile _current;
    private KvCache? _boundCache;
    private int _boundCapacity;
    private DeviceBuffer? _boundBlock;                    // a batch's KV block bound by RunRows, and its bytes per half
    private long _boundBlockBytes;

    public ModelGraph(Device device, ModelBundle bundle)
    {
        var manifest = bundle.Manifest;
        Spec = manifest.Graph;
        _layout = manifest.KvLayout;
        Graph = Graph.Load(device, GraphPath(bundle));
        try
        {
            GraphContract.Check(Graph, manifest, bundle.Directory);
            _tokensIndex = Graph.InputIndex(GraphNames.Tokens);
            _posIndex = Graph.InputIndex(GraphNames.Position);
            _keysIndex = Graph.InputIndex(GraphNames.PastKeys);
            _valuesIndex = Graph.InputIndex(GraphNames.PastValues);
            _kvNewIndex = Graph.OutputIndex(GraphNames.KvNew);
            _logitsIndex = Graph.OutputIndex(GraphNames.Logits);
            _nextIdsIndex = Graph.OutputIndex(GraphNames.NextIds);
            _acceptedIndex = Graph.OutputIndex(GraphNames.Accepted);
            _gearDims = new aclmdlIODims[Spec.Profiles.Count];
            for (var i = 0; i < Spec.Profiles.Count; i++)
            {
                _profiles[Spec.Profiles[i]] = i;
                _gearDims[i] = GraphContract.GearDims(Graph, Spec, Spec.Profiles[i]);
            }
            var maxTokens = Spec.Profiles.Max(p => p.Batch * p.Tokens);
            _tokens = new long[maxTokens];
            _nextIds = new long[maxTokens];
            _pos = new long[Spec.Profiles.Max(p => p.Batch)];
            _accepted = new long[_pos.Length];
            BatchGears = Spec.Profiles.Where(p => p.Tokens == 1).Select(p => p.Batch).Distinct().Order().ToArray();
            // The small inputs get their own buffers once, up front (sized for the largest gear).
            Graph.InputBuffer(_tokensIndex);
            Graph.InputBuffer(_posIndex);
            Graph.InputBuffer(Graph.DynamicDimsInputIndex);
        }
        catch
        {
            Graph.Dispose();
            throw;
        }
    }

    public BundleGraph Spec { get; }

    public Graph Graph { get; }

    /// <summary>kv_new (layers, 2, 1, kv_heads, tokens, head_dim) of the last run.</summary>
    public DeviceBuffer KvNew => Graph.OutputBuffer(_kvNewIndex);

    /// <summary>The batch sizes decode calls are compiled for, ascending (1 at least).</summary>
    public IReadOnlyList<int> BatchGears { get; } = [];

    /// <summary>Whether the graph is compiled for <paramref name="profile"/>.</summary>
    public bool Has(GraphProfile profile) => _profiles.ContainsKey(profile);

    /// <summary>
    /// Runs <paramref name="tokens"/> (padded to <paramref name="tokenSlots"/>) at cache position
    /// <paramref name="position"/> over the whole cache: window = its capacity.
    /// </summary>
    public void Run(ReadOnlySpan<int> tokens, int tokenSlots, int position, KvCache cache, int padId)
    {
        var gear = Gear(new GraphProfile(1, tokenSlots, cache.Capacity), "bundle profiles are fixed at export");
        for (var i = 0; i < tokenSlots; i++)
            _tokens[i] = i < tokens.Length ? tokens[i] : padId;
        _pos[0] = position;
        Graph.InputBuffer(_tokensIndex).Write<long>(_tokens.AsSpan(0, tokenSlots));
        Graph.InputBuffer(_posIndex).Write<long>(_pos.AsSpan(0, 1));
        if (!ReferenceEquals(_boundCache, cache) || _boundCapacity != cache.Capacity)
        {
            var blockBytes = _layout.BlockBytes(cache.Capacity);
            Graph.BindInput(_keysIndex, cache.Buffer, 0, blockBytes);
            Graph.BindInput(_valuesIndex, cache.Buffer, blockBytes, blockBytes);
            _boundCache = cache;
            _boundCapacity = cache.Capacity;
            _boundBlock = null;
        }
        Execute(gear);
    }

    /// <summary>
    /// One call over <paramref name="batch"/> rows of <paramref name="tokenSlots"/> tokens each (decode: 1, verify: K+1):
    /// row i's tokens <paramref name="tokens"/>[i·slots..] at positions <paramref name="positions"/>[i].. (rows past
    /// positions.Length are padding at position 0). <paramref name="block"/> holds the rows' caches as (2, layers, batch,
    /// kv_heads, window, head_dim); its halves bind as past_k / past_v.
    /// </summary>
    public void RunRows(ReadOnlySpan<int> tokens, int tokenSlots, ReadOnlySpan<int> positions, int batch, int window, DeviceBuffer block, int padId)
    {
        var gear = Gear(new GraphProfile(batch, tokenSlots, window), "export with --batch to compile batch gears");
        for (var i = 0; i < batch * tokenSlots; i++)
            _tokens[i] = i < tokens.Length ? tokens[i] : padId;
        for (var i = 0; i < batch; i++)
            _pos[i] = i < positions.Length ? positions[i] : 0;
        Graph.InputBuffer(_tokensIndex).Write<long>(_tokens.AsSpan(0, batch * tokenSlots));
        Graph.InputBuffer(_posIndex).Write<long>(_pos.AsSpan(0, batch));
        var blockBytes = batch * _layout.BlockBytes(window);
        if (!ReferenceEquals(_boundBlock, block) || _boundBlockBytes != blockBytes)
        {
            Graph.BindInput(_keysIndex, block, 0, blockBytes);
            Graph.BindInput(_valuesIndex, block, blockBytes, blockBytes);
            _boundBlock = block;
            _boundBlockBytes = blockBytes;
            _boundCache = null;
        }
        Execute(gear);
    }

    private int Gear(GraphProfile profile, string hint) => _profiles.TryGetValue(profile, out var gear)
        ? gear
        : throw new InvalidOperationException($"the graph has no profile ({profile}); {hint}");

    /// <summary>Selects the profile's dynamic dims when the call's shape changed, then executes.</summary>
    private void Execute(int gear)
    {
        var profile = Spec.Profiles[gear];
        if (profile != _current)
        {
            Graph.SetDynamicDims(in _gearDims[gear]);
            _current = profile;
        }
        Graph.Execute();
    }

    /// <summary>The argmax ids of the first <paramref name="count"/> positions.</summary>
    public ReadOnlySpan<long> ReadNextIds(int count)
    {
        var ids = _nextIds.AsSpan(0, count);
        Graph.OutputBuffer(_nextIdsIndex).Read(ids);
        return ids;
    }

    /// <summary>The in-graph verifier's accepted draft length (of row 0).</summary>
    public int ReadAccepted() => (int)ReadAccepted(1)[0];

    /// <summary>The in-graph verifier's accepted draft lengths of the first <paramref name="rows"/> rows.</summary>
    public ReadOnlySpan<long> ReadAccepted(int rows)
    {
        var accepted = _accepted.AsSpan(0, rows);
        Graph.OutputBuffer(_acceptedIndex).Read(accepted);
        return accepted;
    }

    /// <summary>Reads the logits of position <paramref name="row"/> into <paramref name="destination"/> (vocab).</summary>
    public void ReadLogits(int row, Span<float> destination) =>
        Graph.OutputBuffer(_logitsIndex).Read(destination, (long)row * destination.Length * sizeof(float));

    /// <summary>The file to load: the compiled .om on CANN; on the CPU device the ONNX it is compiled from, or its float32-emulated twin.</summary>
    private static string GraphPath(ModelBundle bundle)
    {
        var graph = bundle.Manifest.Graph;
        if (AclLibrary.Choice?.Kind != AclDeviceKind.Npu)
            return Path.Combine(bundle.Directory, graph.CpuOnnxFile ?? graph.OnnxFile);
        var om = Path.Combine(bundle.Directory, graph.OmFile);
        if (!File.Exists(om))
            throw new FileNotFoundException(
                $"bundle '{bundle.Directory}': {graph.OmFile} is missing; CANN loads compiled graphs only. Compile it on this server: " +
                $"cd {bundle.Directory} && ./atc.sh   (SOC=Ascend910B3 ./atc.sh to name the chip)", om);
        return om;
    }

    public void Dispose() => Graph.Dispose();
}
