namespace AscendAio.Engine.Tokenization;

/// <summary>The tokenizer file formats a bundle may carry.</summary>
public enum TokenizerKind
{
    /// <summary>Byte-level BPE: vocab.json + merges.txt, or a tokenizer.json with a ByteLevel pre-tokenizer (GPT-2, Llama 3, Qwen).</summary>
    ByteLevelBpe,

    /// <summary>SentencePiece BPE: tokenizer.model, or a tokenizer.json of SentencePiece-style BPE (Llama 2, Mistral: ▁ for spaces, byte fallback).</summary>
    SentencePiece,
}
