namespace AscendAio.Engine.Bundles;

/// <summary>Architecture dimensions of the exported model (Llama family).</summary>
public sealed record BundleModel
{
    public required string Architecture { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required double RmsNormEps { get; init; }
    public required double RopeTheta { get; init; }
    public required bool TieWordEmbeddings { get; init; }
}

/// <summary>The tokenizer files shipped in the bundle and the ids the engine needs.</summary>
public sealed record BundleTokenizerInfo
{
    /// <summary>"byte_level_bpe" (vocab.json + merges.txt, or a byte-level tokenizer.json) or "sentence_piece" (tokenizer.model, or a SentencePiece-style tokenizer.json).</summary>
    public required string Kind { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public required int VocabSize { get; init; }
    public int? BosId { get; init; }
    public int? EosId { get; init; }
    public int? PadId { get; init; }
    public required IReadOnlyDictionary<string, int> SpecialTokens { get; init; }
}

/// <summary>Prompt templates; "{request}" is replaced by the request text. Null where the tokenizer lacks the tokens.</summary>
public sealed record BundleTemplates
{
    public const string RequestPlaceholder = "{request}";

    /// <summary>Classification probe, e.g. "&lt;|bos|&gt;{request}&lt;|probe|&gt;"; the next token is a category token.</summary>
    public string? Probe { get; init; }

    /// <summary>Generation prompt, e.g. "&lt;|bos|&gt;{request}&lt;|answer|&gt;"; the answer follows, then EOS.</summary>
    public required string Generation { get; init; }

    /// <summary>
    /// The bundle file holding the model's Hugging Face chat template: "chat_template.jinja", or
    /// "tokenizer_config.json" (its <c>chat_template</c>); null when the model has none. Chat requests are rendered
    /// through it; without one they use <see cref="Generation"/>.
    /// </summary>
    public string? Chat { get; init; }

    /// <summary>
    /// The instruction an instruct probe appends to the request's last user turn (no <see cref="Probe"/> template):
    /// "{labels}" is replaced by the category labels, e.g. "code, qa or math". Null = <see cref="DefaultProbeInstruction"/>.
    /// </summary>
    public string? ProbeInstruction { get; init; }

    public const string LabelsPlaceholder = "{labels}";

    public const string DefaultProbeInstruction =
        "Which kind of request is the text above? Answer with one word: {labels}.";
}

/// <summary>The shared weight file all graphs of the bundle reference as ONNX external data.</summary>
public sealed record BundleWeights
{
    public required string File { get; init; }

    /// <summary>Tensor bytes (without alignment padding): the bytes one forward pass streams.</summary>
    public required long Bytes { get; init; }

    /// <summary>"none" or "w8a16" (int8 per-output-channel linear weights, float scales, dequantized in-graph).</summary>
    public required string Quantization { get; init; }

    /// <summary>Byte alignment of every tensor's offset in the file.</summary>
    public required int Alignment { get; init; }
}
