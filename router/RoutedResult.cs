using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router;

/// <summary>A routed and generated request.</summary>
public sealed record RoutedResult(RouteDecision Decision, GenerationResult Result, RequestTimings Timings, int ReusedPrefixTokens);

/// <summary>
/// One streamed update. The first carries the decision and no tokens (it comes before the first token); the
/// last carries <see cref="Finish"/>, <see cref="Metrics"/> and <see cref="Timings"/>; <see cref="Logprobs"/> as
/// <see cref="GenerationUpdate.Logprobs"/>.
/// </summary>
public sealed record RoutedUpdate(RouteDecision Decision, int[] Tokens, string TextDelta, FinishReason? Finish = null,
    GenerationMetrics? Metrics = null, RequestTimings? Timings = null, IReadOnlyList<TokenLogprob>? Logprobs = null);
