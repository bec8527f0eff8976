using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Calibration;

/// <summary>
/// Measures calibration samples on the resident models: the probe (kept, so the small model's run with
/// prefix reuse is measured too), then one greedy generation per route target, each scored by the caller's
/// judge (the task suite's scorer). Greedy PLD equals plain decoding token for token, so their scores agree;
/// only time differs.
/// </summary>
public sealed class CalibrationSampler
{
    private readonly RouterModels _models;
    private readonly IntentProbe _probe;
    private readonly IRoutingPolicy _decider;

    public CalibrationSampler(RouterModels models, IReadOnlyList<RouteTarget> targets, int maxNewTokens, InstructProbeOptions? instructProbe = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        if (targets.Count == 0)
            throw new RoutingException("calibration needs at least one route target");
        foreach (var t in targets)
            models.Require(t.Model);
        _models = models;
        _probe = new IntentProbe(models.Small, instructProbe);
        _decider = RoutingPolicies.Create(RoutingPolicies.Aio);
        Targets = targets;
        MaxNewTokens = maxNewTokens;
    }

    public IReadOnlyList<RouteTarget> Targets { get; }

    public int MaxNewTokens { get; }

    /// <summary>Requests whose reuse run produced other tokens than the fresh run (expected: none).</summary>
    public int ReuseMismatches { get; private set; }

    public IReadOnlyList<string> Categories => _probe.Categories;

    /// <summary>Probe only (held-out confusion): no generation.</summary>
    public ProbeResult ProbeOnly(string request)
    {
        using var run = _probe.Run(RequestPrompt.User(request));
        return run.Result;
    }

    /// <param name="judge">Scores a completion (the generated text) for this request.</param>
    public CalibrationSample Measure(string id, string request, string trueCategory, Func<string, bool> judge, CancellationToken cancellation = default)
    {
        var small = _models.Small;
        // Asked as a chat's one user turn: a chat model gets its chat template, a model without one its generation template.
        var asked = RequestPrompt.User(request);
        var prompt = small.Bundle.EncodePrompt(asked);
        using var run = _probe.Run(asked, keepSequence: true);
        var decided = Stopwatch.GetTimestamp();
        _decider.Decide(new RoutingInput { Probe = run.Result, ContextTokens = prompt.Length });
        var decisionMs = Stopwatch.GetElapsedTime(decided).TotalMilliseconds;

        var greedy = new GenerationOptions { MaxNewTokens = MaxNewTokens };
        double? reusePrefillMs = null;
        int[]? reuseTokens = null;
        if (Fits(small, prompt))
        {
            var reuse = run.TakeReusablePrefix(prompt);
            var reused = Generator.Generate(small, prompt, greedy, reuse: reuse, cancellation: cancellation);
            reusePrefillMs = reused.Metrics.PrefillMs;
            reuseTokens = reused.Tokens;
        }

        var outcomes = new Dictionary<RouteTarget, RunOutcome>();
        foreach (var target in Targets)
        {
            var model = _models.Require(target.Model);
            var tokens = ReferenceEquals(model.Bundle, small.Bundle) ? prompt : model.Bundle.EncodePrompt(asked);
            if (!Fits(model, tokens))
                continue; // replay sends it where the router would: the large model
            var drafter = target.Strategy is DraftSpeculativeDecoding ? small : null;
            var result = Generator.Generate(model, tokens, greedy with { Strategy = target.Strategy }, drafter, cancellation: cancellation);
            if (model == small && target.Strategy is PlainDecoding && reuseTokens is not null && !reuseTokens.SequenceEqual(result.Tokens))
                ReuseMismatches++;
            var m = result.Metrics;
            outcomes[target] = new RunOutcome
            {
                Correct = judge(result.Text),
                GeneratedTokens = m.GeneratedTokens,
                PrefillMs = m.PrefillMs,
                DecodeMs = m.DecodeMs,
                DraftTokensProposed = m.DraftTokensProposed,
                DraftTokensAccepted = m.DraftTokensAccepted,
            };
        }
        return new CalibrationSample
        {
            Id = id,
            TrueCategory = trueCategory,
            ContextTokens = prompt.Length,
            Probe = run.Result,
            DecisionMs = decisionMs,
            ReusePrefillMs = reusePrefillMs,
            Outcomes = outcomes,
        };
    }

    /// <summary>The router's guard: the prompt and one token must fit (generation may then stop at the context's end).</summary>
    private static bool Fits(LanguageModel model, int[] prompt) => prompt.Length + 1 <= model.ContextLimit;
}
