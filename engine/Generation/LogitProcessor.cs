namespace AscendAio.Engine.Generation;

/// <summary>
/// A request's logit adjustments before a token is chosen, as OpenAI defines them: logit_bias adds its value to the
/// listed tokens' logits; the penalties lower the logit of each token already generated,
/// mu[j] − c[j]·frequency_penalty − (c[j] &gt; 0)·presence_penalty, where c[j] counts token j in the generated text so
/// far (OpenAI's API reference, "Frequency and presence penalties"). Counts are sized once per request; applying
/// touches only the biased and the generated tokens.
/// </summary>
internal sealed class LogitProcessor
{
    private readonly GenerationOptions _options;
    private readonly KeyValuePair<int, float>[] _bias;
    private readonly int[]? _counts;          // (vocab) occurrences in the generated tokens
    private readonly List<int> _seen = [];    // distinct generated tokens, in order of first occurrence

    private LogitProcessor(GenerationOptions options, int vocabSize)
    {
        _options = options;
        _bias = options.LogitBias.Select(p => new KeyValuePair<int, float>(p.Key, (float)p.Value)).ToArray();
        if (options.PresencePenalty != 0 || options.FrequencyPenalty != 0)
            _counts = new int[vocabSize];
    }

    /// <summary>A processor when the options adjust logits; null otherwise.</summary>
    public static LogitProcessor? For(GenerationOptions options, int vocabSize) =>
        options.AdjustsLogits ? new LogitProcessor(options, vocabSize) : null;

    public void Apply(Span<float> logits)
    {
        foreach (var (token, bias) in _bias)
            logits[token] += bias;
        if (_counts is null)
            return;
        foreach (var token in _seen)
            logits[token] -= (float)(_counts[token] * _options.FrequencyPenalty + _options.PresencePenalty);
    }

    /// <summary>Counts a token the request generated (an end-of-sequence id ends generation and is not counted).</summary>
    public void Observe(int token)
    {
        if (_counts is null)
            return;
        if (_counts[token]++ == 0)
            _seen.Add(token);
    }
}
