using AscendAio.Export.Onnx;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.Export.Graphs;

// Attention over a fixed window of G cache slots. The new tokens' keys/values are placed into the window in-graph
// (slot pos+t), so the attended length is always G whatever T is: decode (T = 1) and verify (T = K + 1) at the
// same gear reduce over the same G slots in the same order.
public sealed partial class LlamaGraphBuilder
{
    /// <summary>Masked-out score: finite, so a (misused) fully masked row stays finite instead of NaN.</summary>
    private const float MaskedScore = -1e30f;

    private void BuildRotaryTables(string positions)
    {
        int hd = _c.HeadDim, T = _spec.Tokens;
        // Padded prefill tokens may run past the table; their outputs are never committed, so clamp the lookup.
        var lookup = _g.Min(positions, _g.ConstInt64([_weights.MaxContext - 1]));
        string Table(string name)
        {
            var half = _g.Gather(_weights.Tensor(_g, name), lookup);       // (T, hd/2)
            return _g.Reshape(_g.Concat(-1, half, half), T, 1, hd);          // (T, 1, hd): both halves share angles
        }
        _cos = Table(ModelWeights.RopeCos);
        _sin = Table(ModelWeights.RopeSin);
    }

    private void BuildMasks(string pos, string positions)
    {
        int G = _spec.Gear, T = _spec.Tokens;
        // Slot indices 0..G-1, stored once (G int64) and reshaped for each use.
        var slots = _g.ConstInt64(Enumerable.Range(0, G).Select(i => (long)i).ToArray(), name: "slots");

        // Causal: new token t (absolute position pos+t) sees slots j <= pos+t.   (T, G) additive
        var limit = _g.Reshape(_g.Add(positions, _g.ConstInt64([1])), T, 1);
        var visible = _g.Less(_g.Reshape(slots, 1, G), limit);
        _mask = _g.Where(visible, _g.ScalarFloat(0f), _g.ScalarFloat(MaskedScore));

        // Slots j < pos come from the kv input; the rest from the new tokens.   (G, 1, 1) bool
        _keepPast = _g.Less(_g.Reshape(slots, G, 1, 1), pos);
        // One-hot placement of new token t at slot pos+t: (G, T) float, exact (one 1.0 per row at most).
        _placeNew = _g.Cast(_g.Equal(_g.Reshape(slots, G, 1), _g.Reshape(positions, 1, T)), ElementType.Float32);
    }

    private string Attention(int l, string h, string kv, out string kvNew)
    {
        int T = _spec.Tokens, G = _spec.Gear, H = _c.Heads, kvh = _c.KvHeads, hd = _c.HeadDim, groups = _c.QueryGroups;

        var q = Rotate(_g.Reshape(_weights.Linear(_g, h, N.Q(l)), T, H, hd));      // (T, H, hd)
        var k = Rotate(_g.Reshape(_weights.Linear(_g, h, N.K(l)), T, kvh, hd));    // (T, kvh, hd)
        var v = _g.Reshape(_weights.Linear(_g, h, N.V(l)), T, kvh, hd);            // (T, kvh, hd)
        kvNew = _g.Concat(1, _g.Unsqueeze(k, 1), _g.Unsqueeze(v, 1));              // (T, 2, kvh, hd)

        var layerKv = _g.Gather(kv, _g.ScalarInt64(l), axis: 1);                   // (G, 2, kvh, hd)
        var keys = Window(_g.Gather(layerKv, _g.ScalarInt64(0), axis: 1), k);      // (G, kvh, hd)
        var values = Window(_g.Gather(layerKv, _g.ScalarInt64(1), axis: 1), v);    // (G, kvh, hd)

        // Query head kvh_i * groups + g reads kv head kvh_i (Hugging Face repeat_kv order).
        var queries = _g.Reshape(_g.Transpose(_g.Reshape(q, T, kvh, groups, hd), 1, 2, 0, 3), kvh, groups * T, hd);
        var scores = _g.Mul(_g.MatMul(queries, _g.Transpose(keys, 1, 2, 0)), _g.ScalarFloat((float)(1.0 / Math.Sqrt(hd))));
        var masked = _g.Add(_g.Reshape(scores, kvh, groups, T, G), _mask);          // (kvh, groups, T, G)
        var probs = _g.Reshape(_g.Softmax(masked, -1), kvh, groups * T, G);
        var context = _g.MatMul(probs, _g.Transpose(values, 1, 0, 2));             // (kvh, groups*T, hd)
        return _g.Reshape(_g.Transpose(_g.Reshape(context, kvh, groups, T, hd), 2, 0, 1, 3), T, H * hd);
    }

    /// <summary>The G-slot window: cached entries below pos, the new tokens' entries at pos..pos+T-1.</summary>
    private string Window(string past, string fresh)
    {
        int T = _spec.Tokens, G = _spec.Gear, kvh = _c.KvHeads, hd = _c.HeadDim;
        var placed = _g.Reshape(_g.MatMul(_placeNew, _g.Reshape(fresh, T, kvh * hd)), G, kvh, hd);
        return _g.Where(_keepPast, past, placed);
    }

    /// <summary>Rotate-half rotary embedding: x·cos + rotate_half(x)·sin with rotate_half(x) = [-x2, x1].</summary>
    private string Rotate(string x)
    {
        var half = _c.HeadDim / 2;
        var x1 = _g.Slice(x, [0], [half], [2]);
        var x2 = _g.Slice(x, [half], [_c.HeadDim], [2]);
        var rotated = _g.Concat(2, _g.Neg(x2), x1);
        return _g.Add(_g.Mul(x, _cos), _g.Mul(rotated, _sin));
    }
}
