namespace AscendAio.Engine.Tokenization;

/// <summary>The tokenizer file formats a bundle may carry.</summary>
public enum TokenizerKind
{
    /// <summary>Byte-level BPE: vocab.json + merges.txt (GPT-2 / Hugging Face ByteLevel style).</summary>
    ByteLevelBpe,

    /// <summary>SentencePiece BPE model: tokenizer.model (Llama style).</summary>
    SentencePiece,
}
