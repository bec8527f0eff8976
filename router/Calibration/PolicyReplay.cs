using AscendAio.Router.Policies;

namespace AscendAio.Router.Calibration;

/// <summary>A policy's score over samples: accuracy, throughput, where requests went, what routing cost.</summary>
public sealed record ReplayScore
{
    public required int Requests { get; init; }
    public required double Accuracy { get; init; }

    /// <summary>Generated tokens / (routing overhead + prefill + decode) time, all requests together.</summary>
    public required double TokensPerSecond { get; init; }

    public required double SmallShare { get; init; }
    public required double MeanOverheadMs { get; init; }
    public required double MeanGenerationMs { get; init; }
    public required IReadOnlyDictionary<string, double> AccuracyByCategory { get; init; }
    public required IReadOnlyDictionary<RouteTarget, int> Routes { get; init; }

    public override string ToString() =>
        $"accuracy {Accuracy:P1}, {TokensPerSecond:F1} tok/s, small share {SmallShare:P0}, overhead {MeanOverheadMs:F2} ms/request";
}

/// <summary>How a replay charges routing costs.</summary>
public sealed record ReplayOptions
{
    /// <summary>Small-model runs after a probe continue from its KV cache (the router's default).</summary>
    public bool ReuseProbePrefix { get; init; } = true;

    /// <summary>Seed of the random source handed to a random policy.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Replays a policy over measured samples: each decision is looked up in the sample's measured runs, as the
/// router would execute it (a small-model target whose model cannot hold the prompt runs on the large model).
/// Probe policies pay the sample's probe time (template + prefill + decision); small-model runs after a probe
/// use the measured prefill with prefix reuse.
/// </summary>
public static class PolicyReplay
{
    /// <param name="adjust">Changes a decision before it runs (e.g. adaptive PLD); null = as decided.</param>
    /// <param name="observe">Sees each executed run in order (e.g. to feed an online tracker).</param>
    public static ReplayScore Run(IRoutingPolicy policy, IReadOnlyList<CalibrationSample> samples, ReplayOptions? options = null,
        Func<CalibrationSample, RouteDecision, RouteDecision>? adjust = null, Action<CalibrationSample, RouteDecision, RunOutcome>? observe = null)
    {
        if (samples.Count == 0)
            throw new RoutingException("nothing to replay: no calibration samples");
        options ??= new ReplayOptions();
        var random = new Random(options.Seed);
        int correct = 0, small = 0;
        long tokens = 0;
        double overheadMs = 0, generationMs = 0;
        var byCategory = new Dictionary<string, (int Correct, int Count)>(StringComparer.Ordinal);
        var routes = new Dictionary<RouteTarget, int>();
        foreach (var s in samples)
        {
            var input = new RoutingInput { Probe = policy.NeedsProbe ? s.Probe : null, ContextTokens = s.ContextTokens, TrueCategory = s.TrueCategory, Random = random };
            var decision = policy.Decide(input);
            if (!s.Outcomes.ContainsKey(RouteTarget.Of(decision)) && decision.Model != ModelRole.Large)
                decision = decision with { Model = ModelRole.Large }; // the router's guard: the prompt did not fit
            decision = adjust?.Invoke(s, decision) ?? decision;
            var target = RouteTarget.Of(decision);
            if (!s.Outcomes.TryGetValue(target, out var outcome))
                throw new RoutingException($"sample '{s.Id}' has no measured run on {target} (policy '{policy.Name}'); measure that target");
            observe?.Invoke(s, decision, outcome);

            var generation = outcome.GenerationMs;
            if (policy.NeedsProbe)
            {
                overheadMs += s.Probe.TemplateMs + s.Probe.PrefillMs + s.DecisionMs;
                if (options.ReuseProbePrefix && target.Model == ModelRole.Small && s.ReusePrefillMs is { } reused)
                    generation += reused - outcome.PrefillMs;
            }
            generationMs += generation;
            tokens += outcome.GeneratedTokens;
            correct += outcome.Correct ? 1 : 0;
            small += target.Model.IsSmall() ? 1 : 0;
            var c = byCategory.GetValueOrDefault(s.TrueCategory);
            byCategory[s.TrueCategory] = (c.Correct + (outcome.Correct ? 1 : 0), c.Count + 1);
            routes[target] = routes.GetValueOrDefault(target) + 1;
        }
        var totalSeconds = (overheadMs + generationMs) / 1000;
        return new ReplayScore
        {
            Requests = samples.Count,
            Accuracy = (double)correct / samples.Count,
            TokensPerSecond = totalSeconds > 0 ? tokens / totalSeconds : 0,
            SmallShare = (double)small / samples.Count,
            MeanOverheadMs = overheadMs / samples.Count,
            MeanGenerationMs = generationMs / samples.Count,
            AccuracyByCategory = byCategory.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => (double)p.Value.Correct / p.Value.Count),
            Routes = routes,
        };
    }
}
