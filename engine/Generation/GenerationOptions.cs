namespace AscendAio.Engine.Generation;

/// <summary>Per-request generation settings, validated in one place.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>0 = greedy. Sampling needs the bundle's logits graphs.</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling mass, (0, 1].</summary>
    public double TopP { get; init; } = 1.0;

    public int Seed { get; init; }

    /// <summary>Generation stops when the text ends with one of these; the stop string is not returned.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    public DecodingStrategy Strategy { get; init; } = DecodingStrategy.Plain;

    /// <summary>
    /// Null: no log probabilities. Otherwise each generated token comes with its log probability and this many most
    /// likely tokens at its position (0..<see cref="TokenLogprob.MaxTop"/>). Needs every position's logits, so it runs
    /// plain decoding on the bundle's logits graphs, as sampling does.
    /// </summary>
    public int? Logprobs { get; init; }

    /// <summary>OpenAI's presence penalty, [-2, 2]: subtracted once from the logit of every token already generated.</summary>
    public double PresencePenalty { get; init; }

    /// <summary>OpenAI's frequency penalty, [-2, 2]: subtracted from a generated token's logit once per occurrence.</summary>
    public double FrequencyPenalty { get; init; }

    /// <summary>OpenAI's logit_bias: token id → value in [-100, 100] added to its logit before each choice.</summary>
    public IReadOnlyDictionary<int, double> LogitBias { get; init; } = new Dictionary<int, double>();

    public bool IsGreedy => Temperature == 0;

    /// <summary>Whether the penalties or a logit bias change the logits before a token is chosen.</summary>
    public bool AdjustsLogits => PresencePenalty != 0 || FrequencyPenalty != 0 || LogitBias.Count > 0;

    /// <summary>Whether a step needs the logits row (sampling, log probabilities, adjusted logits), not only the graph's arg-max.</summary>
    public bool NeedsLogits => !IsGreedy || Logprobs is not null || AdjustsLogits;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
            throw new ArgumentException($"max_new_tokens must be at least 1, got {MaxNewTokens}", nameof(MaxNewTokens));
        if (Temperature < 0 || double.IsNaN(Temperature) || Temperature > 10)
            throw new ArgumentException($"temperature must be in [0, 10], got {Temperature}", nameof(Temperature));
        if (!(TopP > 0 && TopP <= 1))
            throw new ArgumentException($"top_p must be in (0, 1], got {TopP}", nameof(TopP));
        if (StopStrings.Any(string.IsNullOrEmpty))
            throw new ArgumentException("stop strings must not be empty", nameof(StopStrings));
        switch (Strategy)
        {
            case PromptLookupDecoding { MaxNgram: < 1 or > 32 } p:
                throw new ArgumentException($"PLD n-gram window must be in 1..32, got {p.MaxNgram}", nameof(Strategy));
            case PromptLookupDecoding { LookAhead: < 1 } p:
                throw new ArgumentException($"PLD look-ahead must be at least 1, got {p.LookAhead}", nameof(Strategy));
            case DraftSpeculativeDecoding { DraftTokens: < 1 } d:
                throw new ArgumentException($"draft tokens must be at least 1, got {d.DraftTokens}", nameof(Strategy));
        }
        if (Logprobs is < 0 or > TokenLogprob.MaxTop)
            throw new ArgumentException($"logprobs must ask for 0..{TokenLogprob.MaxTop} alternatives, got {Logprobs}", nameof(Logprobs));
        if (!(PresencePenalty is >= -2 and <= 2))
            throw new ArgumentException($"presence_penalty must be in [-2, 2], got {PresencePenalty}", nameof(PresencePenalty));
        if (!(FrequencyPenalty is >= -2 and <= 2))
            throw new ArgumentException($"frequency_penalty must be in [-2, 2], got {FrequencyPenalty}", nameof(FrequencyPenalty));
        foreach (var (token, bias) in LogitBias)
        {
            if (token < 0 || !(bias is >= -100 and <= 100))
                throw new ArgumentException($"logit_bias maps token ids (≥ 0) to values in [-100, 100], got {token}: {bias}", nameof(LogitBias));
        }
        if (AdjustsLogits && Strategy is not PlainDecoding)
            throw new ArgumentException($"strategy '{Strategy.Name}' verifies drafts against the model's own choice, not adjusted logits; use plain decoding with penalties or logit_bias", nameof(Strategy));
        if (Logprobs is not null && Strategy is not PlainDecoding)
            throw new ArgumentException($"strategy '{Strategy.Name}' does not return log probabilities (its verify step keeps only accepted ids); use plain decoding with logprobs", nameof(Strategy));
        if (!IsGreedy && Strategy is not PlainDecoding)
            throw new ArgumentException($"strategy '{Strategy.Name}' is greedy-only; use plain decoding with temperature > 0", nameof(Strategy));
    }
}
