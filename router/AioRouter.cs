using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Router.Adaptive;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Router;

/// <summary>
/// A-IO's request path over resident models: probe (when the policy needs one) → policy → the chosen model
/// and strategy, generating from the probe's KV cache when the small model serves. Thread-safe: requests may
/// route and generate concurrently (each model runs one graph at a time).
/// <para>Strategy rule for <see cref="Generate(string, GenerationOptions, string?, CancellationToken)"/>: the
/// decision's strategy replaces <c>options.Strategy</c> when that is plain (the default), so a caller that sets
/// PLD or draft pins it; sampled requests (temperature &gt; 0) always decode plain (PLD and draft are greedy-only);
/// a pinned draft strategy on a small model decodes plain (there is no smaller drafter). The effective decision,
/// with the reason amended, is what results report.</para>
/// </summary>
public sealed partial class AioRouter : IDisposable
{
    private readonly RouterOptions _options;
    private readonly IntentProbe? _probe;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly HashSet<ModelRole> _sharesSmallPrompt = [];
    private bool _disposed;

    /// <param name="execution">Where streamed generations and probes run (default: <see cref="DirectExecution"/>; a server
    /// passes its <see cref="BatchedExecution"/>). The synchronous <c>Generate</c> always runs on the caller's thread.</param>
    public AioRouter(RouterModels models, IRoutingPolicy policy, RouterOptions? options = null, IGenerationExecution? execution = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(policy);
        Models = models;
        Policy = policy;
        Execution = execution ?? DirectExecution.Instance;
        _options = options ?? new RouterOptions();
        _random = new Random(_options.Seed);
        if (policy.NeedsProbe)
            _probe = new IntentProbe(models.Small, _options.InstructProbe ?? (policy as RulePolicy)?.Options.InstructProbe);
        if (policy is StaticPolicy s)
            models.Require(s.Model); // a baseline over a model that is not loaded fails at once
        if (_options.AdaptivePld is { } adaptive)
            PldTracker = new PldPayoffTracker(adaptive);
        foreach (var (role, model) in models.Loaded())
        {
            if (SharesPrompt(models.Small, model))
                _sharesSmallPrompt.Add(role);
        }
    }

    public RouterModels Models { get; }

    public IRoutingPolicy Policy { get; }

    public IGenerationExecution Execution { get; }

    public RouterOptions Options => _options;

    /// <summary>The probe, when the policy needs one.</summary>
    public IntentProbe? Probe => _probe;

    /// <summary>Per (category, model) PLD payoff when <see cref="RouterOptions.AdaptivePld"/> is on.</summary>
    public PldPayoffTracker? PldTracker { get; }

    /// <summary>
    /// Runs the probe when the policy needs it and decides. The result owns the probe's truncated KV cache
    /// when the small model serves and reuse is on: generate it or dispose it.
    /// </summary>
    public RoutedRequest Route(string requestText, string? trueCategory = null)
    {
        ArgumentNullException.ThrowIfNull(requestText);
        return Route(RequestPrompt.Completion(requestText), trueCategory);
    }

    /// <summary>
    /// Routes a completion or a chat: a chat is rendered through each model's chat template (the probe's through the
    /// small model's); a model without one takes <see cref="RequestPrompt.Text"/> in its generation template.
    /// </summary>
    /// <exception cref="Engine.Templates.ChatTemplateRenderException">A chat template refused the messages.</exception>
    public RoutedRequest Route(RequestPrompt request, string? trueCategory = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        var requestText = request.Text;
        var start = Stopwatch.GetTimestamp();
        // The context length the rules read: the small model's generation prompt.
        var smallPrompt = EncodePrompt(Models.Small, request);
        var promptMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        ProbeRun? probe = null;
        try
        {
            probe = Policy.NeedsProbeFor(smallPrompt.Length) ? _probe?.Run(request, keepSequence: _options.ReuseProbePrefix) : null;
            var decided = Stopwatch.GetTimestamp();
            var input = new RoutingInput { Probe = probe?.Result, ContextTokens = smallPrompt.Length, TrueCategory = trueCategory, Random = _random };
            RouteDecision decision;
            lock (_randomGate) // the shared seeded source: one draw at a time, in request order
                decision = Policy.Decide(input);
            decision = FitContext(decision, smallPrompt.Length);
            (decision, var arm) = ApplyAdaptivePld(decision, smallPrompt.Length);
            var model = Models.Require(decision.Model);
            decision = decision with
            {
                Timings = new RouteTimings(probe?.Result.TemplateMs ?? 0, probe?.Result.PrefillMs ?? 0,
                    Stopwatch.GetElapsedTime(decided).TotalMilliseconds),
            };

            var prompt = smallPrompt;
            if (!_sharesSmallPrompt.Contains(decision.Model))
            {
                var encoding = Stopwatch.GetTimestamp();
                prompt = EncodePrompt(model, request);
                promptMs += Stopwatch.GetElapsedTime(encoding).TotalMilliseconds;
            }

            var switching = Stopwatch.GetTimestamp();
            var reusable = decision.Model == ModelRole.Small ? probe?.TakeReusablePrefix(prompt) : null;
            probe?.Dispose();
            var switchMs = Stopwatch.GetElapsedTime(switching).TotalMilliseconds;
            return new RoutedRequest(requestText, decision, prompt, probe?.Result, reusable, promptMs, switchMs) { TrackedArm = arm, ContextTokens = smallPrompt.Length };
        }
        catch
        {
            probe?.Dispose();
            throw;
        }
    }

    private static int[] EncodePrompt(LanguageModel model, RequestPrompt request) => model.Bundle.EncodePrompt(request);

    /// <summary>A chosen model that cannot hold the prompt and one token hands the request to the large model.</summary>
    private RouteDecision FitContext(RouteDecision decision, int promptTokens)
    {
        if (!_options.LargeWhenPromptDoesNotFit || decision.Model == ModelRole.Large || Models.Get(decision.Model) is not { } model
            || promptTokens + 1 <= model.ContextLimit)
            return decision;
        return decision with
        {
            Model = ModelRole.Large,
            MovedToLargeForContext = true,
            Reason = $"{decision.Reason}; prompt of {promptTokens} tokens exceeds the {decision.Model.RoleName()} model's context {model.ContextLimit} → large",
        };
    }

    /// <summary>With adaptive PLD on, a PLD decision runs the arm the tracker picks; returns it (null = not tracked).</summary>
    private (RouteDecision Decision, bool? Arm) ApplyAdaptivePld(RouteDecision decision, int contextTokens)
    {
        if (PldTracker is null || decision.Strategy is not PromptLookupDecoding || decision.Category is not { } category)
            return (decision, null);
        if (PldTracker.ShouldUsePld(category, decision.Model, contextTokens, out var stats))
            return (decision, true);
        var why = stats.PldRuns >= PldTracker.Options.Warmup && stats.PlainRuns >= PldTracker.Options.Warmup && !stats.PldEnabled
            ? $"PLD {stats.PldMsPerToken:F2} vs plain {stats.PlainMsPerToken:F2} ms/token"
            : "measuring plain";
        return (decision with
        {
            Strategy = DecodingStrategy.Plain,
            Reason = $"{decision.Reason}; adaptive: plain for {category} on the {decision.Model.RoleName()} model ({why})",
        }, false);
    }

    /// <summary>Whether prompts for <paramref name="other"/> are the small model's: same generation and chat templates, special tokens and tokenizer behaviour.</summary>
    private static bool SharesPrompt(LanguageModel small, LanguageModel other)
    {
        if (ReferenceEquals(small, other))
            return true;
        if (small.Manifest.Templates.Generation != other.Manifest.Templates.Generation || small.VocabSize != other.VocabSize
            || small.Bundle.ChatTemplate?.Source != other.Bundle.ChatTemplate?.Source
            || small.Bundle.BosToken != other.Bundle.BosToken || small.Bundle.EosToken != other.Bundle.EosToken)
            return false;
        const string sample = "def f(x):\n    return x * 2  # Who wrote 'Hamlet'? 12 + 30 = 42. Ünïcode ✓";
        return small.Tokenizer.Encode(sample).AsSpan().SequenceEqual(other.Tokenizer.Encode(sample));
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_options.OwnsModels)
            return;
        foreach (var (_, model) in Models.Loaded().DistinctBy(p => p.Model))
            model.Dispose();
    }
}
