namespace AscendAio.Export.Checkpoint;

/// <summary>
/// Hugging Face Llama-family tensor names and the shapes the config implies (Linear weights are (out, in)); the
/// family's features add projection biases (…_proj.bias) and per-head q/k norms (self_attn.q_norm / k_norm).
/// </summary>
public static class LlamaTensorNames
{
    public const string Embedding = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";

    public static string Q(int layer) => $"model.layers.{layer}.self_attn.q_proj.weight";
    public static string K(int layer) => $"model.layers.{layer}.self_attn.k_proj.weight";
    public static string V(int layer) => $"model.layers.{layer}.self_attn.v_proj.weight";
    public static string O(int layer) => $"model.layers.{layer}.self_attn.o_proj.weight";
    public static string Gate(int layer) => $"model.layers.{layer}.mlp.gate_proj.weight";
    public static string Up(int layer) => $"model.layers.{layer}.mlp.up_proj.weight";
    public static string Down(int layer) => $"model.layers.{layer}.mlp.down_proj.weight";
    public static string QBias(int layer) => $"model.layers.{layer}.self_attn.q_proj.bias";
    public static string KBias(int layer) => $"model.layers.{layer}.self_attn.k_proj.bias";
    public static string VBias(int layer) => $"model.layers.{layer}.self_attn.v_proj.bias";
    public static string OBias(int layer) => $"model.layers.{layer}.self_attn.o_proj.bias";
    public static string QNorm(int layer) => $"model.layers.{layer}.self_attn.q_norm.weight";
    public static string KNorm(int layer) => $"model.layers.{layer}.self_attn.k_norm.weight";
    public static string InputNorm(int layer) => $"model.layers.{layer}.input_layernorm.weight";
    public static string PostAttentionNorm(int layer) => $"model.layers.{layer}.post_attention_layernorm.weight";

    /// <summary>Every tensor the architecture needs, with its expected shape.</summary>
    public static IEnumerable<(string Name, long[] Shape)> Expected(LlamaConfig c)
    {
        long d = c.HiddenSize, f = c.IntermediateSize, q = (long)c.Heads * c.HeadDim, kv = (long)c.KvHeads * c.HeadDim;
        yield return (Embedding, [c.VocabSize, d]);
        for (var i = 0; i < c.Layers; i++)
        {
            yield return (InputNorm(i), [d]);
            yield return (Q(i), [q, d]);
            yield return (K(i), [kv, d]);
            yield return (V(i), [kv, d]);
            if (c.QueryKeyValueBias)
            {
                yield return (QBias(i), [q]);
                yield return (KBias(i), [kv]);
                yield return (VBias(i), [kv]);
            }
            if (c.QueryKeyNorm)
            {
                yield return (QNorm(i), [c.HeadDim]);
                yield return (KNorm(i), [c.HeadDim]);
            }
            yield return (O(i), [d, q]);
            if (c.OutputBias)
                yield return (OBias(i), [d]);
            yield return (PostAttentionNorm(i), [d]);
            yield return (Gate(i), [f, d]);
            yield return (Up(i), [f, d]);
            yield return (Down(i), [d, f]);
        }
        yield return (FinalNorm, [d]);
        if (!c.TieWordEmbeddings)
            yield return (LmHead, [c.VocabSize, d]);
    }

    /// <summary>Tensors a checkpoint may carry that the architecture does not use (buffers saved by older exports).</summary>
    public static bool IsIgnorable(string name, LlamaConfig c) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (c.TieWordEmbeddings && name == LmHead);
}
