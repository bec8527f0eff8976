namespace AscendAio.Engine.Generation;

/// <summary>Draft proposal for prompt-lookup decoding: n-gram matching over the tokens so far, allocation-free.</summary>
public static class PromptLookup
{
    /// <summary>
    /// Finds the longest suffix n-gram (n ≤ <paramref name="maxNgram"/>) of <paramref name="tokens"/> that occurred
    /// earlier (the most recent earlier occurrence wins) and copies the tokens that followed it into
    /// <paramref name="drafts"/>. Returns the number of drafts (0 when nothing matches).
    /// </summary>
    public static int Propose(ReadOnlySpan<int> tokens, int maxNgram, Span<int> drafts)
    {
        var n = tokens.Length;
        for (var size = Math.Min(maxNgram, n - 1); size >= 1; size--)
        {
            var suffix = tokens[(n - size)..];
            for (var start = n - size - 1; start >= 0; start--)
            {
                if (!tokens.Slice(start, size).SequenceEqual(suffix))
                    continue;
                var follow = start + size;
                var count = Math.Min(drafts.Length, n - follow);
                tokens.Slice(follow, count).CopyTo(drafts);
                return count;
            }
        }
        return 0;
    }
}
