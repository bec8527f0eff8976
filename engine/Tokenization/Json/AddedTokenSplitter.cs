namespace AscendAio.Engine.Tokenization.Json;

/// <summary>An entry of tokenizer.json's "added_tokens".</summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool LeftStrip, bool RightStrip, bool Normalized);

/// <summary>
/// Cuts added tokens out of the input before normalization, as the reference does: at each position the longest
/// added token that starts there wins; lstrip / rstrip swallow the whitespace on that side. Tokens are matched in
/// the raw text whatever their "normalized" flag (the reference implementation does the same; Hugging Face's Rust
/// library matches normalized=true tokens in normalized text, which differs only when the normalizer rewrites them).
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens.Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>A stretch of input: an added token, or text (with its start offset in the input).</summary>
    public readonly record struct Segment(AddedToken? Token, string Text, int Start);

    public List<Segment> Split(string text)
    {
        var segments = new List<Segment>();
        var textStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var token = LongestAt(text, i);
            if (token is null)
            {
                i++;
                continue;
            }
            if (i > textStart)
                segments.Add(new Segment(null, text[textStart..i], textStart));
            segments.Add(new Segment(token, token.Content, i));
            i += token.Content.Length;
            textStart = i;
        }
        if (textStart < text.Length)
            segments.Add(new Segment(null, text[textStart..], textStart));

        for (var s = 0; s < segments.Count; s++)
        {
            var token = segments[s].Token;
            if (token is null)
                continue;
            if (token.LeftStrip && s > 0 && segments[s - 1].Token is null)
                segments[s - 1] = segments[s - 1] with { Text = segments[s - 1].Text.TrimEnd() };
            if (token.RightStrip && s + 1 < segments.Count && segments[s + 1].Token is null)
                segments[s + 1] = segments[s + 1] with { Text = segments[s + 1].Text.TrimStart() };
        }
        return segments;
    }

    private AddedToken? LongestAt(string text, int i)
    {
        if (!_byFirstChar.TryGetValue(text[i], out var candidates))
            return null;
        foreach (var token in candidates)
        {
            if (text.AsSpan(i).StartsWith(token.Content, StringComparison.Ordinal))
                return token;
        }
        return null;
    }
}
