using AscendAio.Engine.Bundles;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Onnx;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.Export.Graphs;

/// <summary>
/// Builds the ONNX graph of one <see cref="GraphSpec"/> for a Llama-family model: embedding, L decoder layers
/// (RMSNorm, GQA attention over the G-slot window with rotary embedding, SwiGLU MLP), final norm, LM head, then
/// argmax / the in-graph verifier or raw logits. Shapes are static; only standard opset 13-15 operators.
/// </summary>
public sealed partial class LlamaGraphBuilder
{
    private readonly ModelWeights _weights;
    private readonly LlamaConfig _c;
    private readonly GraphSpec _spec;
    private readonly OnnxGraphBuilder _g;

    // Shared per graph (computed once, used by every layer).
    private string _cos = "", _sin = "", _mask = "", _keepPast = "", _placeNew = "";

    private LlamaGraphBuilder(ModelWeights weights, GraphSpec spec, int opset)
    {
        _weights = weights;
        _c = weights.Config;
        _spec = spec;
        _g = new OnnxGraphBuilder(spec.Name, opset);
    }

    public static OnnxGraphBuilder Build(ModelWeights weights, GraphSpec spec, int opset)
    {
        if (spec.Tokens < 1 || spec.Gear < spec.Tokens || spec.Gear > weights.MaxContext)
            throw new ArgumentException($"graph {spec.Name}: need 1 <= T ({spec.Tokens}) <= G ({spec.Gear}) <= max context ({weights.MaxContext})");
        if (spec.Kind == GraphKind.Verify && spec.Tokens < 2)
            throw new ArgumentException($"graph {spec.Name}: verify needs at least one draft token (T >= 2)");
        var builder = new LlamaGraphBuilder(weights, spec, opset);
        builder.BuildGraph();
        return builder._g;
    }

    private void BuildGraph()
    {
        int T = _spec.Tokens, L = _c.Layers, kvh = _c.KvHeads, hd = _c.HeadDim;
        var tokens = _g.Input(GraphSpec.TokensInput, ElementType.Int64, T);
        var pos = _g.Input(GraphSpec.PositionInput, ElementType.Int64, 1);
        var kv = _g.Input(GraphSpec.KvInput, ElementType.Float32, _spec.KvShape(L, kvh, hd, _spec.Gear));

        // positions of the new tokens: pos + [0..T-1]   (T)
        var positions = _g.Add(pos, _g.ConstInt64(Enumerable.Range(0, T).Select(i => (long)i).ToArray()));
        BuildRotaryTables(positions);
        BuildMasks(pos, positions);

        var x = _g.Gather(_weights.Tensor(_g, N.Embedding), tokens);   // (T, D)
        var kvNewPerLayer = new string[L];
        for (var l = 0; l < L; l++)
            x = DecoderLayer(l, x, kv, out kvNewPerLayer[l]);

        // kv_new (T, L, 2, kvh, hd): layer l's (T, 2, kvh, hd) placed at axis 1.
        var kvNew = L == 1 ? _g.Unsqueeze(kvNewPerLayer[0], 1) : _g.Concat(1, kvNewPerLayer.Select(k => _g.Unsqueeze(k, 1)).ToArray());
        _g.Output(kvNew, GraphSpec.KvNewOutput, ElementType.Float32, _spec.KvShape(L, kvh, hd, T));

        var normed = RmsNorm(x, N.FinalNorm);
        var logits = _weights.Linear(_g, normed, _c.TieWordEmbeddings ? N.Embedding : N.LmHead);   // (T, V)
        if (_spec.Variant == GraphVariant.Logits)
        {
            _g.Output(logits, GraphSpec.LogitsOutput, ElementType.Float32, T, _c.VocabSize);
            return;
        }
        var nextIds = _g.ArgMax(logits, axis: 1);   // (T) int64
        _g.Output(nextIds, GraphSpec.NextIdsOutput, ElementType.Int64, T);
        if (_spec.Kind == GraphKind.Verify)
            _g.Output(AcceptedDraftLength(tokens, nextIds), GraphSpec.AcceptedOutput, ElementType.Int64, 1);
    }

    /// <summary>
    /// Length of the longest prefix of drafts d1..dK (tokens[1..]) with d_i == next_ids[i-1]: the index of the first
    /// mismatch in [match_1..match_K, 0], found by ArgMin (first occurrence of the minimum).
    /// </summary>
    private string AcceptedDraftLength(string tokens, string nextIds)
    {
        var T = _spec.Tokens;
        var drafts = _g.Slice(tokens, [1], [T], [0]);          // (K)
        var predicted = _g.Slice(nextIds, [0], [T - 1], [0]);  // (K)
        var match = _g.Cast(_g.Equal(drafts, predicted), ElementType.Float32);
        var withStop = _g.Concat(0, match, _g.ConstFloat([0f]));   // (K+1)
        return _g.ArgMin(withStop, axis: 0, keepDims: true);     // (1) int64
    }

    private string DecoderLayer(int l, string x, string kv, out string kvNew)
    {
        var h = RmsNorm(x, N.InputNorm(l));
        var attention = Attention(l, h, kv, out kvNew);
        x = _g.Add(x, _weights.Linear(_g, attention, N.O(l)));

        var h2 = RmsNorm(x, N.PostAttentionNorm(l));
        var gate = _weights.Linear(_g, h2, N.Gate(l));
        var up = _weights.Linear(_g, h2, N.Up(l));
        var act = _g.Mul(_g.Mul(gate, _g.Sigmoid(gate)), up);   // SiLU(gate) * up
        return _g.Add(x, _weights.Linear(_g, act, N.Down(l)));
    }

    /// <summary>RMSNorm as Hugging Face computes it: x / sqrt(mean(x²) + eps) · weight.</summary>
    private string RmsNorm(string x, string weightName)
    {
        var meanSquare = _g.ReduceMean(_g.Mul(x, x), axis: -1);
        var denominator = _g.Sqrt(_g.Add(meanSquare, _g.ScalarFloat((float)_c.RmsNormEps)));
        return _g.Mul(_g.Div(x, denominator), _weights.Tensor(_g, weightName));
    }
}
