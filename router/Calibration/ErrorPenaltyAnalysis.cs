using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Calibration;

/// <summary>Expected accuracy and tokens/s of a router.</summary>
public sealed record ExpectedScore(double Accuracy, double TokensPerSecond);

/// <summary>A probe router's expectation under its measured confusion against the oracle router's.</summary>
public sealed record ErrorPenalty(ExpectedScore UnderConfusion, ExpectedScore Oracle, ConfusionMatrix Confusion)
{
    /// <summary>Oracle minus probe router (positive = accuracy lost to misrouting).</summary>
    public double AccuracyPenalty => Oracle.Accuracy - UnderConfusion.Accuracy;

    /// <summary>Oracle minus probe router, tokens/s (probe overhead included).</summary>
    public double ThroughputPenalty => Oracle.TokensPerSecond - UnderConfusion.TokensPerSecond;
}

/// <summary>
/// The paper's error-penalty analysis: a request of true category c is predicted ĉ with probability P(ĉ|c)
/// (the confusion matrix) and served on the target the rules give ĉ; its accuracy and cost are those measured
/// for category c on that target. E[acc] = Σ_c π_c Σ_ĉ P(ĉ|c) acc(c, T(ĉ)); tokens/s is the ratio of the
/// expected tokens to the expected time (probe time included). The oracle has P(ĉ|c) = [ĉ = c] and no probe.
/// Unlike <see cref="PolicyReplay"/> this works on category averages and ignores τ and context limits.
/// </summary>
public static class ErrorPenaltyAnalysis
{
    public static ErrorPenalty Analyse(IReadOnlyList<CalibrationSample> samples, PolicyOptions options, ReplayOptions? replay = null)
    {
        if (samples.Count == 0)
            throw new RoutingException("nothing to analyse: no calibration samples");
        replay ??= new ReplayOptions();
        var categories = samples.Select(s => s.TrueCategory).Concat(samples.Select(s => s.PredictedCategory))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var confusion = ConfusionMatrix.Of(categories, samples.Select(s => (s.TrueCategory, s.PredictedCategory)));
        return new ErrorPenalty(Expected(samples, options, confusion, probe: true, replay), Expected(samples, options, confusion, probe: false, replay), confusion);
    }

    private static ExpectedScore Expected(IReadOnlyList<CalibrationSample> samples, PolicyOptions options, ConfusionMatrix confusion, bool probe, ReplayOptions replay)
    {
        double accuracy = 0, tokens = 0, ms = 0;
        foreach (var group in samples.GroupBy(s => s.TrueCategory, StringComparer.Ordinal))
        {
            var share = (double)group.Count() / samples.Count;
            foreach (var predicted in confusion.Categories)
            {
                var p = probe ? confusion.Rate(group.Key, predicted) : predicted == group.Key ? 1 : 0;
                if (p == 0)
                    continue;
                var target = TargetOf(options, predicted);
                var runs = group.Select(s => Cost(s, target, probe, replay)).ToArray();
                accuracy += share * p * runs.Average(r => r.Correct ? 1.0 : 0.0);
                tokens += share * p * runs.Average(r => r.Tokens);
                ms += share * p * runs.Average(r => r.Ms);
            }
        }
        return new ExpectedScore(accuracy, ms > 0 ? tokens / (ms / 1000) : 0);
    }

    private static RouteTarget TargetOf(PolicyOptions options, string category) =>
        options.Categories.TryGetValue(category, out var rule)
            ? new RouteTarget(rule.Model, rule.Strategy)
            : new RouteTarget(options.FallbackModel, options.FallbackStrategy ?? DecodingStrategy.Plain);

    private static (bool Correct, int Tokens, double Ms) Cost(CalibrationSample s, RouteTarget target, bool probe, ReplayOptions replay)
    {
        if (!s.Outcomes.ContainsKey(target) && target.Model != ModelRole.Large)
            target = target with { Model = ModelRole.Large };
        if (!s.Outcomes.TryGetValue(target, out var o))
            throw new RoutingException($"sample '{s.Id}' has no measured run on {target}; measure that target");
        var ms = o.GenerationMs;
        if (probe)
        {
            ms += s.Probe.TemplateMs + s.Probe.PrefillMs + s.DecisionMs;
            if (replay.ReuseProbePrefix && target.Model == ModelRole.Small && s.ReusePrefillMs is { } reused)
                ms += reused - o.PrefillMs;
        }
        return (o.Correct, o.GeneratedTokens, ms);
    }
}
