using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Calibration;

/// <summary>How a <see cref="CalibrationSampler"/> times its runs.</summary>
public sealed record CalibrationSamplerOptions
{
    /// <summary>New-token limit of a request by its true category (a benchmark's limits, so speeds compare with its runs).</summary>
    public required Func<string, int> MaxNewTokensFor { get; init; }

    /// <summary>Timed runs of every target per request, in <see cref="InterleavedOrder"/>.</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>Seeds the shuffled order of the targets.</summary>
    public int Seed { get; init; } = 1;

    public InstructProbeOptions? InstructProbe { get; init; }
}

/// <summary>
/// Measures calibration samples on the resident models: the probe (kept, so the small model's run with prefix reuse
/// is measured too), then <see cref="CalibrationSamplerOptions.Repetitions"/> greedy generations per route target,
/// the targets interleaved in an order shuffled per repetition, after one discarded warm-up run of each target (the
/// first call pays JIT compilation and graph sessions). The completion is scored once by the caller's judge (the task
/// suite's scorer): greedy decoding repeats itself token for token, and greedy PLD equals plain decoding, so only
/// time differs between runs.
/// </summary>
public sealed class CalibrationSampler
{
    private readonly RouterModels _models;
    private readonly IntentProbe _probe;
    private readonly IRoutingPolicy _decider;
    private readonly CalibrationSamplerOptions _options;
    private readonly Random _order;
    private bool _warm;

    public CalibrationSampler(RouterModels models, IReadOnlyList<RouteTarget> targets, CalibrationSamplerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Repetitions, 1);
        if (targets.Count == 0)
            throw new RoutingException("calibration needs at least one route target");
        foreach (var t in targets)
            models.Require(t.Model);
        _models = models;
        _probe = new IntentProbe(models.Small, options.InstructProbe);
        _decider = RoutingPolicies.Create(RoutingPolicies.Aio);
        _options = options;
        _order = new Random(options.Seed);
        Targets = targets;
    }

    public IReadOnlyList<RouteTarget> Targets { get; }

    public int Repetitions => _options.Repetitions;

    /// <summary>Requests whose reuse run produced other tokens than the fresh run (expected: none).</summary>
    public int ReuseMismatches { get; private set; }

    /// <summary>Timed repetitions that produced other tokens than the first run of the same target (expected: none).</summary>
    public int RepetitionMismatches { get; private set; }

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

        var greedy = new GenerationOptions { MaxNewTokens = _options.MaxNewTokensFor(trueCategory) };
        double? reusePrefillMs = null;
        int[]? reuseTokens = null;
        if (Fits(small, prompt))
        {
            var reuse = run.TakeReusablePrefix(prompt);
            var reused = Generator.Generate(small, prompt, greedy, reuse: reuse, cancellation: cancellation);
            reusePrefillMs = reused.Metrics.PrefillMs;
            reuseTokens = reused.Tokens;
        }

        // Targets whose model cannot hold the prompt are not run: replay sends the request where the router would (the large model).
        var runnable = Targets.Select(t => (Target: t, Prompt: PromptFor(t, asked, prompt))).Where(p => Fits(_models.Require(p.Target.Model), p.Prompt)).ToArray();
        if (!_warm && runnable.Length == Targets.Count)
        {
            foreach (var (target, tokens) in runnable)
                Run(target, tokens, greedy, cancellation);
            _warm = true;
        }
        var runs = runnable.Select(_ => new List<GenerationResult>()).ToArray();
        foreach (var order in InterleavedOrder.Of(runnable.Length, _options.Repetitions, _order))
        {
            foreach (var t in order)
                runs[t].Add(Run(runnable[t].Target, runnable[t].Prompt, greedy, cancellation));
        }

        var outcomes = new Dictionary<RouteTarget, RunOutcome>();
        for (var t = 0; t < runnable.Length; t++)
        {
            var target = runnable[t].Target;
            var first = runs[t][0];
            RepetitionMismatches += runs[t].Count(r => !r.Tokens.SequenceEqual(first.Tokens));
            if (target.Model == ModelRole.Small && target.Strategy is PlainDecoding && reuseTokens is not null && !reuseTokens.SequenceEqual(first.Tokens))
                ReuseMismatches++;
            // The middle run by time stands for the request in replays: an actual run, so its prefill and decode belong together.
            var middle = runs[t].OrderBy(r => r.Metrics.PrefillMs + r.Metrics.DecodeMs).ElementAt((runs[t].Count - 1) / 2).Metrics;
            outcomes[target] = new RunOutcome
            {
                Correct = judge(first.Text),
                GeneratedTokens = first.Metrics.GeneratedTokens,
                PrefillMs = middle.PrefillMs,
                DecodeMs = middle.DecodeMs,
                DraftTokensProposed = first.Metrics.DraftTokensProposed,
                DraftTokensAccepted = first.Metrics.DraftTokensAccepted,
                RepetitionMs = runs[t].Select(r => r.Metrics.PrefillMs + r.Metrics.DecodeMs).ToArray(),
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

    private GenerationResult Run(RouteTarget target, int[] prompt, GenerationOptions greedy, CancellationToken cancellation)
    {
        var drafter = target.Strategy is DraftSpeculativeDecoding ? _models.Small : null;
        return Generator.Generate(_models.Require(target.Model), prompt, greedy with { Strategy = target.Strategy }, drafter, cancellation: cancellation);
    }

    private int[] PromptFor(RouteTarget target, RequestPrompt asked, int[] smallPrompt)
    {
        var model = _models.Require(target.Model);
        return ReferenceEquals(model.Bundle, _models.Small.Bundle) ? smallPrompt : model.Bundle.EncodePrompt(asked);
    }

    /// <summary>The router's guard: the prompt and one token must fit (generation may then stop at the context's end).</summary>
    private static bool Fits(LanguageModel model, int[] prompt) => prompt.Length + 1 <= model.ContextLimit;
}
