namespace AscendAio.Engine.Tokenization;

/// <summary>
/// Text to token ids and back, as a model bundle's tokenizer defines it. Special tokens written in the text
/// (e.g. "&lt;|bos|&gt;") encode to their single id; nothing is added implicitly (templates carry their own BOS).
/// </summary>
public interface ITextTokenizer
{
    /// <summary>One past the largest id the tokenizer can produce (regular vocabulary and special tokens).</summary>
    int VocabSize { get; }

    /// <summary>Id of the beginning-of-sequence token, or null when the tokenizer declares none.</summary>
    int? BosId { get; }

    /// <summary>Id of the end-of-sequence token, or null when the tokenizer declares none.</summary>
    int? EosId { get; }

    /// <summary>Special (added) tokens by text, e.g. "&lt;|probe|&gt;" → id.</summary>
    IReadOnlyDictionary<string, int> SpecialTokens { get; }

    int[] Encode(ReadOnlySpan<char> text);

    /// <summary>Decodes ids to text; special tokens are written out unless <paramref name="skipSpecialTokens"/>.</summary>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a token string (vocabulary or special), or null when it is not a single token.</summary>
    int? TokenToId(string token);

    /// <summary>The token string of an id (in the tokenizer's own alphabet, e.g. byte-level "Ġ"), or null.</summary>
    string? IdToToken(int id);

    /// <summary>The bytes of text an id stands for (possibly part of a UTF-8 character).</summary>
    byte[] TokenBytes(int id);
}
