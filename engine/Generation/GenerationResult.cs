namespace AscendAio.Engine.Generation;

/// <summary>A finished request: the generated ids and text, why it stopped, and what it cost.</summary>
public sealed record GenerationResult(int[] Tokens, string Text, FinishReason FinishReason, GenerationMetrics Metrics);

/// <summary>
/// One streamed step: the new token ids and the text they add. The last update of a stream carries
/// <see cref="Finish"/> and <see cref="Metrics"/>. <see cref="Logprobs"/>: one per token of <see cref="Tokens"/> when the
/// options asked for log probabilities, else null.
/// </summary>
public sealed record GenerationUpdate(int[] Tokens, string TextDelta, FinishReason? Finish = null, GenerationMetrics? Metrics = null,
    IReadOnlyList<TokenLogprob>? Logprobs = null);
