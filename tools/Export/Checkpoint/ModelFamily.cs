namespace AscendAio.Export.Checkpoint;

/// <summary>Where a family's attention projection biases come from.</summary>
public enum BiasRule
{
    /// <summary>No biases.</summary>
    None,

    /// <summary>q/k/v always carry a bias, o never (Qwen2).</summary>
    QueryKeyValue,

    /// <summary>q/k/v/o carry a bias when the config field <see cref="ModelFamily.BiasField"/> is true.</summary>
    AllWhenFlagged,
}

/// <summary>Whether a family honours config.json's sliding_window.</summary>
public enum SlidingWindowRule
{
    /// <summary>Full causal attention; sliding_window is ignored.</summary>
    None,

    /// <summary>sliding_window applies whenever it is set (Mistral).</summary>
    WhenSet,

    /// <summary>sliding_window applies only when use_sliding_window is true (Qwen2, Qwen3).</summary>
    WhenEnabled,
}

/// <summary>
/// One decoder family as data: the Hugging Face architecture name, the model_type values it is published under, and
/// the features that set it apart from plain Llama. The checkpoint reader and the graph builder read these
/// features (resolved against config.json into <see cref="LlamaConfig"/>), never the family's name.
/// </summary>
/// <param name="BiasField">config field that switches biases on under <see cref="BiasRule.AllWhenFlagged"/>.</param>
/// <param name="BiasDefault">its value when the field is absent.</param>
/// <param name="QueryKeyNorm">per-head RMSNorm (q_norm, k_norm, weight (head_dim)) on q and k before the rotary embedding.</param>
public sealed record ModelFamily(
    string Architecture,
    IReadOnlyList<string> ModelTypes,
    BiasRule Biases,
    string? BiasField,
    bool BiasDefault,
    bool QueryKeyNorm,
    SlidingWindowRule SlidingWindow)
{
    /// <summary>
    /// Every family the exporter supports. Sources: Hugging Face transformers' modeling_llama / modeling_qwen2 /
    /// modeling_qwen3 / modeling_mistral, and openPangu-Embedded's own modeling_openpangu_dense.py and config.json
    /// (q/k/v/o Linear layers with bias=config.bias, rotary_emb.inv_freq buffers saved in the checkpoint).
    /// </summary>
    public static readonly IReadOnlyList<ModelFamily> All =
    [
        new("LlamaForCausalLM", ["llama"], BiasRule.AllWhenFlagged, "attention_bias", false, false, SlidingWindowRule.None),
        new("Qwen2ForCausalLM", ["qwen2"], BiasRule.QueryKeyValue, null, false, false, SlidingWindowRule.WhenEnabled),
        new("Qwen3ForCausalLM", ["qwen3"], BiasRule.AllWhenFlagged, "attention_bias", false, true, SlidingWindowRule.WhenEnabled),
        new("PanguEmbeddedForCausalLM", ["PanguEmbedded"], BiasRule.AllWhenFlagged, "bias", true, false, SlidingWindowRule.None),
        new("MistralForCausalLM", ["mistral"], BiasRule.None, null, false, false, SlidingWindowRule.WhenSet),
    ];

    public static ModelFamily? Find(string architecture) => All.FirstOrDefault(f => f.Architecture == architecture);
}
