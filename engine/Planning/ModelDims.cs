namespace AscendAio.Engine.Planning;

/// <summary>
/// The hyper-parameters that size a decoder-only model (Llama family and its relatives), enough to count its
/// parameters and size its KV cache and activations without reading any weight.
/// </summary>
public sealed record ModelDims
{
    public required string Architecture { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required int MaxContext { get; init; }
    public required bool TieWordEmbeddings { get; init; }

    /// <summary>Biases on q_proj, k_proj and v_proj (Qwen2; openPangu-Embedded; Llama with attention_bias).</summary>
    public bool QkvBias { get; init; }

    /// <summary>A bias on o_proj (openPangu-Embedded; Llama with attention_bias).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Biases on gate_proj, up_proj and down_proj (Llama with mlp_bias).</summary>
    public bool MlpBias { get; init; }

    /// <summary>RMSNorm over each head of q and k (Qwen3): head_dim weights each per layer.</summary>
    public bool QkNorm { get; init; }

    public long QueryWidth => (long)Heads * HeadDim;

    public long KvWidth => (long)KvHeads * HeadDim;

    /// <summary>The weight matrices' parameters of one layer: q, k, v, o and the SwiGLU gate, up and down.</summary>
    public long LayerMatrixParameters =>
        HiddenSize * QueryWidth + 2 * HiddenSize * KvWidth + QueryWidth * HiddenSize + 3L * HiddenSize * IntermediateSize;

    /// <summary>The vector parameters of one layer: biases, the two RMSNorms, q/k norms.</summary>
    public long LayerVectorParameters =>
        (QkvBias ? QueryWidth + 2 * KvWidth : 0) + (OutputBias ? HiddenSize : 0)
        + (MlpBias ? 2L * IntermediateSize + HiddenSize : 0) + 2L * HiddenSize + (QkNorm ? 2L * HeadDim : 0);

    public long EmbeddingParameters => (long)VocabSize * HiddenSize;

    /// <summary>The untied LM head's V×D matrix; 0 when it shares the embedding.</summary>
    public long LmHeadParameters => TieWordEmbeddings ? 0 : EmbeddingParameters;

    /// <summary>Every parameter: embedding, untied LM head, the layers, the final norm.</summary>
    public long ParameterCount =>
        EmbeddingParameters + LmHeadParameters + Layers * (LayerMatrixParameters + LayerVectorParameters) + HiddenSize;

    /// <summary>
    /// Bytes the weights take on the device, resident once. W8A16: Linear matrices (the untied LM head included)
    /// in int8 plus one float16 scale per output row; embedding, norms and biases float16.
    /// </summary>
    public long WeightBytes(WeightFormat format)
    {
        if (format != WeightFormat.W8A16)
            return ParameterCount * format.FloatWeightBytes();
        var matrices = Layers * LayerMatrixParameters + LmHeadParameters;
        // Output rows per layer: q (H·hd), k and v (kvh·hd each), o (D), gate and up (I each), down (D).
        var rowsPerLayer = QueryWidth + 2 * KvWidth + HiddenSize + 2L * IntermediateSize + HiddenSize;
        var scales = Layers * rowsPerLayer + (TieWordEmbeddings ? 0 : VocabSize);
        var floats = ParameterCount - matrices;
        return matrices + 2 * (scales + floats);
    }

    /// <summary>KV bytes of one position across all layers: layers × 2 × kv_heads × head_dim × element bytes.</summary>
    public long KvBytesPerPosition(WeightFormat format) => (long)Layers * 2 * KvWidth * format.ActivationBytes();
}
