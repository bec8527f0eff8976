using Microsoft.ML.Tokenizers;

namespace AscendAio.Engine.Tokenization;

/// <summary>The encode / decode engine behind a <see cref="BundleTokenizer"/>.</summary>
internal interface ITokenCodec
{
    IReadOnlyList<int> Encode(ReadOnlySpan<char> text);

    /// <summary>
    /// The ids of <paramref name="text"/> when it has at most <paramref name="maxTokens"/> tokens; null as soon as it is
    /// known to have more, without encoding the rest (a request's prompt over the limit costs the limit, not its length).
    /// </summary>
    IReadOnlyList<int>? EncodeWithin(ReadOnlySpan<char> text, int maxTokens);

    string Decode(IReadOnlyList<int> ids);
}

/// <summary>A Microsoft.ML.Tokenizers tokenizer used as it is (vocab.json + merges.txt, tokenizer.model).</summary>
/// <param name="longestToken">
/// When every input character becomes at least one symbol and no token spans more than this many symbols (byte-level
/// BPE without a normalizer), a text longer than the bound times this is over without encoding it; null when unknown.
/// </param>
internal sealed class LibraryCodec(Tokenizer tokenizer, int? longestToken = null) : ITokenCodec
{
    public IReadOnlyList<int> Encode(ReadOnlySpan<char> text) => tokenizer.EncodeToIds(text);

    public IReadOnlyList<int>? EncodeWithin(ReadOnlySpan<char> text, int maxTokens)
    {
        if (longestToken is { } longest && text.Length > (long)maxTokens * longest)
            return null;
        // The library stops at maxTokenCount (+1 tells "over" from "exactly at"); charsConsumed short of the
        // (normalized) text means it stopped early.
        var ids = tokenizer.EncodeToIds(text, maxTokens + 1, out var normalized, out var consumed);
        return ids.Count > maxTokens || consumed < (normalized?.Length ?? text.Length) ? null : ids;
    }

    public string Decode(IReadOnlyList<int> ids) => tokenizer.Decode(ids) ?? string.Empty;
}
