namespace AscendAio.Engine.Generation;

/// <summary>
/// A generated token's log probability under the model (natural log of its softmax over the raw logits, before
/// temperature or top-p), with the most likely tokens at that position, most likely first (OpenAI's logprobs).
/// </summary>
public sealed record TokenLogprob(int Token, float Logprob, IReadOnlyList<TopLogprob> Top)
{
    /// <summary>OpenAI's bound on top_logprobs (chat); completions allow at most 5.</summary>
    public const int MaxTop = 20;

    /// <summary>
    /// The log probability of <paramref name="token"/> in <paramref name="logits"/> (one row) and its
    /// <paramref name="top"/> most likely tokens. Log-softmax in double precision (max-shifted log-sum-exp); the top
    /// tokens by insertion into a list of <paramref name="top"/> entries, one pass over the vocabulary.
    /// </summary>
    public static TokenLogprob Read(ReadOnlySpan<float> logits, int token, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, MaxTop);
        if ((uint)token >= (uint)logits.Length)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token id outside the logits row (size {logits.Length})");
        top = Math.Min(top, logits.Length);
        var max = logits[Sampler.ArgMax(logits)];
        double sum = 0;
        foreach (var logit in logits)
            sum += Math.Exp(logit - max);
        var logNormalizer = max + Math.Log(sum);

        Span<int> best = stackalloc int[top];
        var count = 0;
        for (var i = 0; i < logits.Length && top > 0; i++)
        {
            // Ties keep the lower id first, as an arg-max does.
            if (count == top && logits[i] <= logits[best[count - 1]])
                continue;
            var at = Math.Min(count, top - 1);
            while (at > 0 && logits[i] > logits[best[at - 1]])
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
            count = Math.Min(count + 1, top);
        }
        var alternatives = new TopLogprob[count];
        for (var i = 0; i < count; i++)
            alternatives[i] = new TopLogprob(best[i], (float)(logits[best[i]] - logNormalizer));
        return new TokenLogprob(token, (float)(logits[token] - logNormalizer), alternatives);
    }
}

/// <summary>One of the most likely tokens at a position, with its log probability.</summary>
public readonly record struct TopLogprob(int Token, float Logprob);
