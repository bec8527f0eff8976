using AscendAio.Export.Checkpoint;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.TestSupport;

/// <summary>Logits and the attention cache of a full causal forward over a token sequence.</summary>
/// <param name="Logits">(tokens, vocab)</param>
/// <param name="Keys">(layers, tokens, kv_heads * head_dim), rotary embedding applied</param>
/// <param name="Values">(layers, tokens, kv_heads * head_dim)</param>
public sealed record ReferenceResult(double[][] Logits, double[][][] Keys, double[][][] Values)
{
    public int ArgMax(int position)
    {
        var row = Logits[position];
        var best = 0;
        for (var i = 1; i < row.Length; i++)
            if (row[i] > row[best])
                best = i;
        return best;
    }
}

/// <summary>
/// A plain, slow, obviously-correct forward pass in float64, written straight from the architectures' definitions
/// (Hugging Face LlamaForCausalLM and its relatives): RMSNorm, projections with their biases where the family has
/// them (Qwen2: q/k/v; openPangu: q/k/v/o), per-head q/k RMSNorm before the rotary embedding (Qwen3), rotate-half
/// rotary embedding with the config's rope scaling (<see cref="ReferenceRotary"/>), grouped-query attention with a
/// causal mask, SwiGLU MLP, LM head. Used only by tests, as the truth the exported graphs must match.
/// </summary>
public sealed class ReferenceForward(LlamaConfig config, IReadOnlyDictionary<string, float[]> weights)
{
    private readonly ReferenceRotary _rotary = new(config);

    public LlamaConfig Config { get; } = config;

    public static ReferenceForward FromCheckpoint(string directory)
    {
        using var checkpoint = LlamaCheckpoint.Open(directory);
        var weights = LlamaTensorNames.Expected(checkpoint.Config)
            .ToDictionary(e => e.Name, e => checkpoint.ReadFloat(e.Name), StringComparer.Ordinal);
        return new ReferenceForward(checkpoint.Config, weights);
    }

    public ReferenceResult Run(IReadOnlyList<int> tokens)
    {
        var c = Config;
        int n = tokens.Count, d = c.HiddenSize, hd = c.HeadDim, kvDim = c.KvHeads * hd;
        var keys = new double[c.Layers][][];
        var values = new double[c.Layers][][];
        var x = new double[n][];
        for (var t = 0; t < n; t++)
            x[t] = Row(weights[N.Embedding], tokens[t], d);

        for (var l = 0; l < c.Layers; l++)
        {
            keys[l] = new double[n][];
            values[l] = new double[n][];
            var queries = new double[n][];
            for (var t = 0; t < n; t++)
            {
                var h = RmsNorm(x[t], weights[N.InputNorm(l)]);
                var q = Project(h, N.Q(l), c.QueryKeyValueBias ? N.QBias(l) : null, c.Heads * hd);
                var k = Project(h, N.K(l), c.QueryKeyValueBias ? N.KBias(l) : null, kvDim);
                if (c.QueryKeyNorm)
                {
                    q = PerHeadRmsNorm(q, weights[N.QNorm(l)]);
                    k = PerHeadRmsNorm(k, weights[N.KNorm(l)]);
                }
                queries[t] = Rotate(q, t, c.Heads);
                keys[l][t] = Rotate(k, t, c.KvHeads);
                values[l][t] = Project(h, N.V(l), c.QueryKeyValueBias ? N.VBias(l) : null, kvDim);
            }
            for (var t = 0; t < n; t++)
            {
                var attention = Attend(queries[t], keys[l], values[l], t);
                Accumulate(x[t], Project(attention, N.O(l), c.OutputBias ? N.OBias(l) : null, d));
                var h = RmsNorm(x[t], weights[N.PostAttentionNorm(l)]);
                var gate = Linear(weights[N.Gate(l)], h, c.IntermediateSize);
                var up = Linear(weights[N.Up(l)], h, c.IntermediateSize);
                for (var i = 0; i < gate.Length; i++)
                    gate[i] = gate[i] / (1.0 + Math.Exp(-gate[i])) * up[i];   // SiLU(gate) * up
                Accumulate(x[t], Linear(weights[N.Down(l)], gate, d));
            }
        }

        var head = weights[c.TieWordEmbeddings ? N.Embedding : N.LmHead];
        var logits = new double[n][];
        for (var t = 0; t < n; t++)
            logits[t] = Linear(head, RmsNorm(x[t], weights[N.FinalNorm]), c.VocabSize);
        return new ReferenceResult(logits, keys, values);
    }

    // Causal attention for the token at position t: query head h reads kv head h / groups (repeat_kv). With a sliding
    // window W (Mistral), position t sees positions t − W < j ≤ t only.
    private double[] Attend(double[] q, double[][] keys, double[][] values, int t)
    {
        var c = Config;
        var first = c.SlidingWindow is { } window ? Math.Max(0, t - window + 1) : 0;
        var hd = c.HeadDim;
        var output = new double[c.Heads * hd];
        var scale = 1.0 / Math.Sqrt(hd);
        for (var h = 0; h < c.Heads; h++)
        {
            var kvOffset = h / c.QueryGroups * hd;
            var scores = new double[t + 1];   // entries before first stay unused
            var max = double.NegativeInfinity;
            for (var j = first; j <= t; j++)
            {
                double s = 0;
                for (var i = 0; i < hd; i++)
                    s += q[h * hd + i] * keys[j][kvOffset + i];
                scores[j] = s * scale;
                max = Math.Max(max, scores[j]);
            }
            double sum = 0;
            for (var j = first; j <= t; j++)
                sum += scores[j] = Math.Exp(scores[j] - max);
            for (var j = first; j <= t; j++)
                for (var i = 0; i < hd; i++)
                    output[h * hd + i] += scores[j] / sum * values[j][kvOffset + i];
        }
        return output;
    }

    // Rotate-half rotary embedding: x' = x·cos + rotate_half(x)·sin, θ_i = position · freq_i, cos/sin times the scale.
    private double[] Rotate(double[] x, int position, int heads)
    {
        var hd = Config.HeadDim;
        var half = hd / 2;
        var result = new double[x.Length];
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = position * _rotary.Frequencies[i];
                double cos = Math.Cos(angle) * _rotary.Scale, sin = Math.Sin(angle) * _rotary.Scale;
                double a = x[h * hd + i], b = x[h * hd + i + half];
                result[h * hd + i] = a * cos - b * sin;
                result[h * hd + i + half] = b * cos + a * sin;
            }
        }
        return result;
    }

    private double[] RmsNorm(double[] x, float[] weight)
    {
        double sumSquares = 0;
        foreach (var v in x)
            sumSquares += v * v;
        var inv = 1.0 / Math.Sqrt(sumSquares / x.Length + Config.RmsNormEps);
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
            result[i] = x[i] * inv * weight[i];
        return result;
    }

    private double[] Project(double[] x, string weight, string? bias, int outFeatures)
    {
        var y = Linear(weights[weight], x, outFeatures);
        if (bias is not null)
            for (var o = 0; o < outFeatures; o++)
                y[o] += weights[bias][o];
        return y;
    }

    // RMSNorm of each head_dim slice on its own, with one weight shared by all heads.
    private double[] PerHeadRmsNorm(double[] x, float[] weight)
    {
        var hd = Config.HeadDim;
        var result = new double[x.Length];
        for (var h = 0; h < x.Length / hd; h++)
            RmsNorm(x[(h * hd)..((h + 1) * hd)], weight).CopyTo(result, h * hd);
        return result;
    }

    // y = W·x with W stored (out, in) row-major, as Hugging Face Linear weights are.
    private static double[] Linear(float[] w, double[] x, int outFeatures)
    {
        var y = new double[outFeatures];
        for (var o = 0; o < outFeatures; o++)
        {
            double s = 0;
            var row = o * x.Length;
            for (var i = 0; i < x.Length; i++)
                s += w[row + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    private static double[] Row(float[] matrix, int row, int width)
    {
        var result = new double[width];
        for (var i = 0; i < width; i++)
            result[i] = matrix[(long)row * width + i];
        return result;
    }

    private static void Accumulate(double[] x, double[] delta)
    {
        for (var i = 0; i < x.Length; i++)
            x[i] += delta[i];
    }
}
