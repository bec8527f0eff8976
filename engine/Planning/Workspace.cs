namespace AscendAio.Engine.Planning;

/// <summary>
/// An estimate of a model's working memory: the activations alive during its largest call, a prefill chunk of T
/// tokens attending a window of G cached positions (G = the model's max context), for B sequences:
/// <code>
///   activations = 2 × B·T·(D + max(2·I, (H + 2·kvh)·hd)) × element bytes   (a layer's input and output buffers:
///                 the residual stream plus the widest projection, SwiGLU's gate+up or q+k+v)
///   scores      = B·H·T·(G + T) × 4                                      (attention probabilities, float32)
///   logits      = B·T·V × 4                                              (float32 logits of every row)
/// </code>
/// An upper bound for graphs that materialise the score matrix; fused attention needs less. On a server CANN's
/// <c>aclmdlQuerySize</c> on the compiled .om reports the real work size; the plan uses this formula so that it
/// works from a config.json before anything is compiled.
/// </summary>
public static class Workspace
{
    public static long Bytes(ModelDims dims, int elementBytes, int prefillChunk, int window, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefillChunk, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        long t = Math.Min(prefillChunk, window), b = batch;
        var widest = Math.Max(2L * dims.IntermediateSize, (long)(dims.Heads + 2 * dims.KvHeads) * dims.HeadDim);
        var activations = 2 * b * t * (dims.HiddenSize + widest) * elementBytes;
        var scores = b * dims.Heads * t * (window + t) * 4;
        var logits = b * t * dims.VocabSize * 4;
        return activations + scores + logits;
    }
}
