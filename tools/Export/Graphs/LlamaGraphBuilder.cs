using AscendAio.Engine.Bundles;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Onnx;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.Export.Graphs;

/// <summary>
/// Builds the model's one ONNX graph (<see cref="GraphSpec"/>) for a Llama-family model: embedding, L decoder layers
/// (RMSNorm, GQA attention over the past window read in place plus the new tokens, rotary embedding, SwiGLU MLP),
/// final norm, LM head, then logits, argmax and the in-graph verifier. batch, tokens and window are symbolic dims;
/// linear layers run on the flattened (batch·tokens, hidden) rows. Standard opset 13-15 operators only.
/// Precision follows Hugging Face's half-precision forward: weights, activations and the KV cache are in the
/// export dtype; RMSNorm statistics and the attention softmax run in float32 (no fp16 overflow of x², masks exact);
/// logits leave the graph as float32 for the host's sampler and the probe.
/// </summary>
public sealed partial class LlamaGraphBuilder
{
    private readonly ModelWeights _weights;
    private readonly LlamaConfig _c;
    private readonly GraphSpec _spec;
    private readonly OnnxGraphBuilder _g;
    private readonly GraphPrecision _precision;

    // Shared per graph (computed once, used by every layer).
    private string _batchTokens = "";   // int64 [batch, tokens]
    private string _cos = "", _sin = "", _pastMask = "", _newMask = "";

    private LlamaGraphBuilder(ModelWeights weights, GraphSpec spec, GraphPrecision precision, int opset)
    {
        _weights = weights;
        _c = weights.Config;
        _spec = spec;
        _g = new OnnxGraphBuilder("model", opset);
        _precision = precision;
        if (spec.KvType != weights.DType || precision.DType != weights.DType)
            throw new ArgumentException($"graph KV type {spec.KvType.ManifestName()} and precision {precision.DType.ManifestName()} must be the weights' {weights.DType.ManifestName()}");
    }

    public static OnnxGraphBuilder Build(ModelWeights weights, GraphSpec spec, int opset) =>
        Build(weights, spec, GraphPrecision.Native(weights.DType), opset);

    public static OnnxGraphBuilder Build(ModelWeights weights, GraphSpec spec, GraphPrecision precision, int opset)
    {
        foreach (var p in spec.Profiles)
        {
            if (p.Batch < 1 || p.Tokens < 1 || p.Window < 1 || p.Window > weights.MaxContext)
                throw new ArgumentException($"profile ({p}): need batch, tokens >= 1 and 1 <= window <= max context ({weights.MaxContext})");
        }
        var builder = new LlamaGraphBuilder(weights, spec, precision, opset);
        builder.BuildGraph();
        builder._g.Metadata(GraphSpec.InputShapeMetadata, spec.AtcInputShape());
        builder._g.Metadata(GraphSpec.DynamicDimsMetadata, spec.AtcDynamicDims());
        return builder._g;
    }

    private void BuildGraph()
    {
        int L = _c.Layers;
        var tokens = _g.Input(GraphNames.Tokens, ElementType.Int64, _spec.TokensShape);
        var pos = _g.Input(GraphNames.Position, ElementType.Int64, _spec.PositionShape);
        var pastKeys = _g.Input(GraphNames.PastKeys, _precision.DType, _spec.PastShape);
        var pastValues = _g.Input(GraphNames.PastValues, _precision.DType, _spec.PastShape);

        _batchTokens = _g.Shape(tokens);
        var tokenCount = _g.Gather(_batchTokens, _g.ScalarInt64(1));                 // scalar T
        var windowSize = _g.Gather(_g.Shape(pastKeys), _g.ScalarInt64(3));           // scalar G
        // positions of the new tokens: pos[b] + t   (batch, tokens)
        var positions = _g.Add(_g.Unsqueeze(pos, 1), _g.Unsqueeze(_g.Range(tokenCount), 0));
        BuildRotaryTables(positions);
        BuildMasks(pos, tokenCount, windowSize);

        var x = _g.Gather(Weight(N.Embedding), _g.Reshape(tokens, -1));   // (N, D), N = batch·tokens
        var kvNewPerLayer = new string[L];
        for (var l = 0; l < L; l++)
        {
            // Layer l's window (batch, kv_heads, window, head_dim): an outermost-axis slice of the bound cache block.
            var layer = _g.ScalarInt64(l);
            x = DecoderLayer(l, x, FromStorage(_g.Gather(pastKeys, layer)), FromStorage(_g.Gather(pastValues, layer)), out kvNewPerLayer[l]);
        }

        // kv_new (L, 2, batch, kvh, tokens, hd): layer l's (2, batch, kvh, tokens, hd) placed at axis 0.
        var kvNew = L == 1 ? _g.Unsqueeze(kvNewPerLayer[0], 0) : _g.Concat(0, kvNewPerLayer.Select(k => _g.Unsqueeze(k, 0)).ToArray());
        _g.Output(ToStorage(kvNew), GraphNames.KvNew, _precision.DType, _spec.KvNewShape);

        var normed = RmsNorm(x, N.FinalNorm);
        var logits2d = Linear(normed, _c.TieWordEmbeddings ? N.Embedding : N.LmHead);   // (N, V)
        var logits = _g.ReshapeTo(ToFloat32(logits2d), _g.Concat(0, _batchTokens, _g.ConstInt64([_c.VocabSize])));
        _g.Output(logits, GraphNames.Logits, ElementType.Float32, _spec.LogitsShape);
        var nextIds = _g.ArgMax(logits, axis: 2);   // (batch, tokens) int64
        _g.Output(nextIds, GraphNames.NextIds, ElementType.Int64, _spec.NextIdsShape);
        _g.Output(AcceptedDraftLength(tokens, nextIds, pos, tokenCount), GraphNames.Accepted, ElementType.Int64, _spec.AcceptedShape);
    }

    /// <summary>
    /// Per row: the length of the longest prefix of drafts d1..dK (tokens[1..]) with d_i == next_ids[i-1]. Built
    /// without empty tensors (tokens = 1 is a decode call): match[t] = tokens[t] == [-1, next_ids][t] for t ≥ 1,
    /// forced to 1 at t = 0, a 0 appended; the first 0 (ArgMin, first occurrence) minus one is the answer.
    /// </summary>
    private string AcceptedDraftLength(string tokens, string nextIds, string pos, string tokenCount)
    {
        var zeroColumn = _g.Mul(_g.Unsqueeze(pos, 1), _g.ScalarInt64(0));                      // (batch, 1) int64 zeros
        var noToken = _g.Sub(zeroColumn, _g.ScalarInt64(1));                                   // (batch, 1) = -1
        var previous = _g.Slice(_g.Concat(1, noToken, nextIds), _g.ConstInt64([0]), _g.Reshape(tokenCount, 1), [1]);   // (batch, tokens)
        var match = _g.Cast(_g.Equal(tokens, previous), ElementType.Float32);
        var first = _g.Cast(_g.Equal(_g.Range(tokenCount), _g.ScalarInt64(0)), ElementType.Float32);   // (tokens): 1 at t = 0
        var withStop = _g.Concat(1, _g.Add(match, first), _g.Cast(zeroColumn, ElementType.Float32));  // (batch, tokens + 1)
        return _g.Sub(_g.ArgMin(withStop, axis: 1, keepDims: true), _g.ScalarInt64(1));               // (batch, 1)
    }

    private string DecoderLayer(int l, string x, string pastKeys, string pastValues, out string kvNew)
    {
        var h = RmsNorm(x, N.InputNorm(l));
        var attention = Attention(l, h, pastKeys, pastValues, out kvNew);
        x = Rounded(_g.Add(x, Linear(attention, N.O(l))));

        var h2 = RmsNorm(x, N.PostAttentionNorm(l));
        var gate = Linear(h2, N.Gate(l));
        var up = Linear(h2, N.Up(l));
        var act = Rounded(_g.Mul(_g.Mul(gate, _g.Sigmoid(gate)), up));   // SiLU(gate) * up
        return Rounded(_g.Add(x, Linear(act, N.Down(l))));
    }

    /// <summary>RMSNorm as Hugging Face computes it: x / sqrt(mean(x²) + eps) in float32, back to the dtype, · weight.</summary>
    private string RmsNorm(string x, string weightName)
    {
        var x32 = ToFloat32(x);
        var meanSquare = _g.ReduceMean(_g.Mul(x32, x32), axis: -1);
        var denominator = _g.Sqrt(_g.Add(meanSquare, _g.ScalarFloat((float)_c.RmsNormEps)));
        return Rounded(_g.Mul(ToCompute(_g.Div(x32, denominator)), Weight(weightName)));
    }

    private string Weight(string name) => _weights.Tensor(_g, name, _precision.Compute);

    private string Linear(string x, string weightName) => Rounded(_weights.Linear(_g, x, weightName, _precision.Compute));

    /// <summary>A compute-type value as float32 (no node when the graph computes in float32).</summary>
    private string ToFloat32(string x) => _precision.Compute == ElementType.Float32 ? x : _g.Cast(x, ElementType.Float32);

    /// <summary>A float32 value in the compute type, holding what the dtype holds.</summary>
    private string ToCompute(string x) => _precision.Compute == ElementType.Float32 ? Rounded(x) : _g.Cast(x, _precision.Compute);

    /// <summary>Emulated graphs: the value rounded to the dtype, as the native graph stores it. Otherwise the value itself.</summary>
    private string Rounded(string x) =>
        _precision.Emulated && _precision.DType != ElementType.Float32 ? _g.Cast(_g.Cast(x, _precision.DType), ElementType.Float32) : x;

    /// <summary>A value read from the KV inputs, in the compute type.</summary>
    private string FromStorage(string x) => _precision.Compute == _precision.DType ? x : _g.Cast(x, _precision.Compute);

    /// <summary>A compute-type value in the KV output's dtype.</summary>
    private string ToStorage(string x) => _precision.Compute == _precision.DType ? x : _g.Cast(x, _precision.DType);

    /// <summary>Reshape of the flattened rows (N, ...) to (batch, tokens, <paramref name="tail"/>).</summary>
    private string Unflatten(string x, params long[] tail) => _g.ReshapeTo(x, _g.Concat(0, _batchTokens, _g.ConstInt64(tail)));
}
