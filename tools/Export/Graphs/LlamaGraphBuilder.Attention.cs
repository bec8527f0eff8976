using AscendAio.Export.Onnx;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.Export.Graphs;

// Attention over the past window plus the new tokens. Scores are computed transposed, keys·qᵀ = (window, rows) with
// the cached keys as the left operand, so the past keys and values are never transposed, concatenated, placed or
// masked element-wise: after the layer's outermost-axis slice each is read by one MatMul. Only score-sized tensors
// are sliced and transposed; the new entries go out as kv_new and the engine writes them into the cache.
public sealed partial class LlamaGraphBuilder
{
    /// <summary>Masked-out score: finite, so a (misused) fully masked column stays finite instead of NaN.</summary>
    private const float MaskedScore = -1e30f;

    private void BuildRotaryTables(string positions)
    {
        // Padded prefill tokens may run past the table; their outputs are never committed, so clamp the lookup.
        var lookup = _g.Min(positions, _g.ConstInt64([_weights.MaxContext - 1]));
        string Table(string name)
        {
            var half = _g.Gather(Weight(name), lookup);      // (batch, tokens, hd/2)
            return _g.Unsqueeze(_g.Concat(-1, half, half), 2);              // (batch, tokens, 1, hd): both halves share angles
        }
        _cos = Table(ModelWeights.RopeCos);
        _sin = Table(ModelWeights.RopeSin);
    }

    /// <summary>
    /// Additive masks in the transposed score layout (…, slot, row) with rows = (group, token), token inner.
    /// Past slot j is visible to every new token of row b iff j &lt; pos[b]: (batch, 1, window, 1).
    /// New slot s is visible to token t iff s ≤ t: (1, 1, tokens, groups·tokens).
    /// With a sliding window W shorter than the max context (Mistral), a token at position p also sees only positions
    /// p − W &lt; j (Hugging Face's sliding-window mask), so the past mask depends on the row's token as well.
    /// </summary>
    private void BuildMasks(string pos, string tokenCount, string windowSize)
    {
        var groups = _c.QueryGroups;
        var slots = _g.Range(windowSize);                                                     // (window)
        var t = _g.Range(tokenCount);                                                         // (tokens)
        var rows = _g.Concat(0, Enumerable.Repeat(t, groups).ToArray());                      // (groups·tokens): token of each row
        var newVisible = _g.LessOrEqual(_g.Unsqueeze(t, 1), _g.Unsqueeze(rows, 0));            // (tokens, groups·tokens)
        var newMask = _g.Where(newVisible, _g.ScalarFloat(0f), _g.ScalarFloat(MaskedScore));

        if (_c.SlidingWindow is not { } span || span >= _weights.MaxContext)
        {
            var pastVisible = _g.Less(_g.Unsqueeze(slots, 0), _g.Unsqueeze(pos, 1));           // (batch, window)
            _pastMask = _g.Unsqueeze(_g.Where(pastVisible, _g.ScalarFloat(0f), _g.ScalarFloat(MaskedScore)), 1, 3);
            _newMask = _g.Unsqueeze(newMask, 0, 1);
            return;
        }
        // Two additive masks combined by Min: masked where either masks (no boolean And in the graph).
        var w = _g.ConstInt64([span]);
        var slotColumn = _g.Unsqueeze(slots, 0, 2);                                                                  // (1, window, 1)
        var rowPositions = _g.Add(_g.Unsqueeze(pos, 1, 2), _g.Unsqueeze(rows, 0, 1));                                // (batch, 1, rows)
        var written = _g.Where(_g.Less(slotColumn, _g.Unsqueeze(pos, 1, 2)), _g.ScalarFloat(0f), _g.ScalarFloat(MaskedScore));   // (batch, window, 1)
        var inSpan = _g.Where(_g.Less(_g.Sub(rowPositions, slotColumn), w), _g.ScalarFloat(0f), _g.ScalarFloat(MaskedScore));    // (batch, window, rows)
        _pastMask = _g.Unsqueeze(_g.Min(written, inSpan), 1);                                                        // (batch, 1, window, rows)
        var newInSpan = _g.Where(_g.Less(_g.Sub(_g.Unsqueeze(rows, 0), _g.Unsqueeze(t, 1)), w), _g.ScalarFloat(0f), _g.ScalarFloat(MaskedScore));
        _newMask = _g.Unsqueeze(_g.Min(newMask, newInSpan), 0, 1);                                                   // (1, 1, tokens, rows)
    }

    private string Attention(int l, string h, string pastKeys, string pastValues, out string kvNew)
    {
        int H = _c.Heads, kvh = _c.KvHeads, hd = _c.HeadDim, groups = _c.QueryGroups;

        var qkvBias = _c.QueryKeyValueBias;
        var q = Unflatten(Projection(h, N.Q(l), qkvBias ? N.QBias(l) : null), H, hd);     // (batch, tokens, H, hd)
        var k = Unflatten(Projection(h, N.K(l), qkvBias ? N.KBias(l) : null), kvh, hd);   // (batch, tokens, kvh, hd)
        var v = Unflatten(Projection(h, N.V(l), qkvBias ? N.VBias(l) : null), kvh, hd);   // (batch, tokens, kvh, hd)
        if (_c.QueryKeyNorm)
        {
            // Per-head RMSNorm over head_dim, before the rotary embedding (Qwen3).
            q = RmsNorm(q, N.QNorm(l));
            k = RmsNorm(k, N.KNorm(l));
        }
        q = Rotate(q);
        k = Rotate(k);
        var keys = _g.Transpose(k, 0, 2, 1, 3);                                 // (batch, kvh, tokens, hd)
        var values = _g.Transpose(v, 0, 2, 1, 3);
        kvNew = _g.Concat(0, _g.Unsqueeze(keys, 0), _g.Unsqueeze(values, 0));   // (2, batch, kvh, tokens, hd)

        // Query head kvh_i·groups + g reads kv head kvh_i (Hugging Face repeat_kv order); rows = (g, t), t inner.
        var qT = _g.Reshape(_g.Transpose(_g.Reshape(q, 0, 0, kvh, groups, hd), 0, 2, 4, 3, 1), 0, kvh, hd, -1);   // (batch, kvh, hd, groups·tokens)
        // Scores come out of the MatMuls in the model dtype; scale, masks and softmax run in float32.
        var scale = _g.ScalarFloat((float)(1.0 / Math.Sqrt(hd)));
        var pastScores = _g.Add(_g.Mul(ToFloat32(_g.MatMul(pastKeys, qT)), scale), _pastMask);    // (batch, kvh, window, rows)
        var newScores = _g.Add(_g.Mul(ToFloat32(_g.MatMul(keys, qT)), scale), _newMask);          // (batch, kvh, tokens, rows)
        var probs = ToCompute(_g.Softmax(_g.Concat(2, pastScores, newScores), axis: 2));         // over window + tokens

        var windowSize = _g.Slice(_g.Shape(pastKeys), [2], [3], [0]);                   // [window]
        var pastProbs = _g.Transpose(_g.Slice(probs, _g.ConstInt64([0]), windowSize, [2]), 0, 1, 3, 2);             // (batch, kvh, rows, window)
        var newProbs = _g.Transpose(_g.Slice(probs, windowSize, _g.ConstInt64([long.MaxValue]), [2]), 0, 1, 3, 2);  // (batch, kvh, rows, tokens)
        var context = Rounded(_g.Add(_g.MatMul(pastProbs, pastValues), _g.MatMul(newProbs, values)));                         // (batch, kvh, rows, hd)
        // (batch, kvh, groups, tokens, hd) → (batch, tokens, kvh, groups, hd) → (N, H·hd)
        return _g.Reshape(_g.Transpose(_g.Reshape(context, 0, kvh, groups, -1, hd), 0, 3, 1, 2, 4), -1, H * hd);
    }

    /// <summary>x · Wᵀ (+ b when the family's projection carries a bias).</summary>
    private string Projection(string x, string weightName, string? biasName) =>
        biasName is null ? Linear(x, weightName) : Rounded(_g.Add(_weights.Linear(_g, x, weightName, _precision.Compute), Weight(biasName)));

    /// <summary>Rotate-half rotary embedding: x·cos + rotate_half(x)·sin with rotate_half(x) = [-x2, x1].</summary>
    private string Rotate(string x)
    {
        var half = _c.HeadDim / 2;
        var x1 = _g.Slice(x, [0], [half], [3]);
        var x2 = _g.Slice(x, [half], [_c.HeadDim], [3]);
        var rotated = _g.Concat(3, _g.Neg(x2), x1);
        return Rounded(_g.Add(_g.Mul(x, _cos), _g.Mul(rotated, _sin)));
    }
}
