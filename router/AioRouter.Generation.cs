using System.Diagnostics;
using System.Runtime.CompilerServices;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Router.Policies;

namespace AscendAio.Router;

public sealed partial class AioRouter
{
    /// <summary>Routes and generates (see the class remarks for how the strategy is chosen).</summary>
    public RoutedResult Generate(string requestText, GenerationOptions options, string? trueCategory = null, CancellationToken cancellation = default)
    {
        using var routed = Route(requestText, trueCategory);
        return Generate(routed, options, cancellation);
    }

    /// <summary>Routes a completion or a chat and generates.</summary>
    public RoutedResult Generate(RequestPrompt request, GenerationOptions options, string? trueCategory = null, CancellationToken cancellation = default)
    {
        using var routed = Route(request, trueCategory);
        return Generate(routed, options, cancellation);
    }

    /// <summary>Generates a routed request; takes its reusable probe cache.</summary>
    public RoutedResult Generate(RoutedRequest routed, GenerationOptions options, CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var decision = Effective(routed.Decision, options);
        var (model, prefix, switchMs, reused) = Prepare(routed, decision);
        using (prefix) // the engine owns it from the call on; a second dispose is a no-op
        {
            var result = Generator.Generate(model, routed.PromptTokens, options with { Strategy = decision.Strategy },
                Drafter(decision), prefix, cancellation);
            Observe(routed, decision, options, result.Metrics);
            return new RoutedResult(decision, result, Timings(routed, decision, switchMs, result.Metrics), reused);
        }
    }

    /// <summary>
    /// Routes and streams. The first update carries the decision and no tokens; the last carries the finish
    /// reason, metrics and timings. Cancellation frees the KV cache at once.
    /// </summary>
    public IAsyncEnumerable<RoutedUpdate> StreamAsync(string requestText, GenerationOptions options, string? trueCategory = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(requestText);
        return StreamAsync(RequestPrompt.Completion(requestText), options, trueCategory, cancellation);
    }

    /// <summary>Routes a completion or a chat and streams (see the overload over text).</summary>
    public async IAsyncEnumerable<RoutedUpdate> StreamAsync(RequestPrompt request, GenerationOptions options, string? trueCategory = null,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // The probe is device work on the small model: it runs where that model's work runs (between its batched steps).
        using var routed = await Execution.RunAsync(Models.Small, () => Route(request, trueCategory), cancellation).ConfigureAwait(false);
        var decision = Effective(routed.Decision, options);
        yield return new RoutedUpdate(decision, [], "");

        // The execution owns the probe's prefix from the call on.
        var (model, prefix, switchMs, _) = Prepare(routed, decision);
        await foreach (var update in Execution.StreamAsync(model, routed.PromptTokens, options with { Strategy = decision.Strategy },
                           Drafter(decision), prefix, cancellation).ConfigureAwait(false))
        {
            RequestTimings? timings = null;
            if (update.Metrics is { } metrics)
            {
                Observe(routed, decision, options, metrics);
                timings = Timings(routed, decision, switchMs, metrics);
            }
            yield return new RoutedUpdate(decision, update.Tokens, update.TextDelta, update.Finish, update.Metrics, timings, update.Logprobs);
        }
    }

    /// <summary>The decision as it will run: the caller's pinned strategy or sampling settings applied.</summary>
    public static RouteDecision Effective(RouteDecision decision, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsGreedy)
        {
            return decision.Strategy is PlainDecoding
                ? decision
                : decision with { Strategy = DecodingStrategy.Plain, Reason = $"{decision.Reason}; sampling (temperature {options.Temperature}) → plain" };
        }
        if (options.Logprobs is not null || options.AdjustsLogits)
        {
            var why = options.Logprobs is not null ? "log probabilities need every position's logits" : "penalties / logit_bias change the logits";
            return decision.Strategy is PlainDecoding
                ? decision
                : decision with { Strategy = DecodingStrategy.Plain, Reason = $"{decision.Reason}; {why} → plain" };
        }
        if (options.Strategy is PlainDecoding)
            return decision;
        if (options.Strategy is DraftSpeculativeDecoding && decision.Model.IsSmall())
            return decision with { Strategy = DecodingStrategy.Plain, Reason = $"{decision.Reason}; pinned draft has no drafter on the {decision.Model.RoleName()} model → plain" };
        return decision with { Strategy = options.Strategy, Reason = $"{decision.Reason}; strategy pinned by caller: {RouteDecision.Describe(options.Strategy)}" };
    }

    /// <summary>The chosen model and the probe's truncated cache when it serves (null: the generation starts from an empty cache).</summary>
    private (LanguageModel Model, Sequence? Prefix, double SwitchMs, int Reused) Prepare(RoutedRequest routed, RouteDecision decision)
    {
        var start = Stopwatch.GetTimestamp();
        var model = Models.Require(decision.Model);
        var reusable = routed.TakeReusablePrefix();
        if (reusable is not null && reusable.Model != model)
        {
            reusable.Dispose();
            reusable = null;
        }
        var reused = reusable?.Length ?? 0;
        return (model, reusable, routed.SwitchMs + Stopwatch.GetElapsedTime(start).TotalMilliseconds, reused);
    }

    private LanguageModel? Drafter(RouteDecision decision) =>
        decision.Strategy is DraftSpeculativeDecoding ? Models.Small : null;

    /// <summary>Feeds adaptive PLD with a greedy run of the arm it picked (not with runs the caller's options changed).</summary>
    private void Observe(RoutedRequest routed, RouteDecision decision, GenerationOptions options, GenerationMetrics metrics)
    {
        if (PldTracker is null || routed.TrackedArm is not { } usedPld || decision.Category is not { } category
            || !options.IsGreedy || options.Strategy is not PlainDecoding || (decision.Strategy is PromptLookupDecoding) != usedPld)
            return;
        PldTracker.Record(category, decision.Model, routed.ContextTokens, usedPld, metrics.GeneratedTokens, metrics.DecodeMs, metrics.DraftTokensProposed, metrics.DraftTokensAccepted);
    }

    private static RequestTimings Timings(RoutedRequest routed, RouteDecision decision, double switchMs, GenerationMetrics metrics) => new()
    {
        TemplateMs = decision.Timings.TemplateMs,
        ProbePrefillMs = decision.Timings.ProbePrefillMs,
        DecisionMs = decision.Timings.DecisionMs,
        ModelSwitchMs = switchMs,
        PromptMs = routed.PromptMs,
        PrefillMs = metrics.PrefillMs,
        DecodeMs = metrics.DecodeMs,
    };
}
