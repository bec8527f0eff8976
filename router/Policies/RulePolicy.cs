using AscendAio.Engine.Generation;

namespace AscendAio.Router.Policies;

/// <summary>Which parts of A-IO's rule set a <see cref="RulePolicy"/> applies (the ablations switch one off).</summary>
public sealed record RuleSwitches
{
    /// <summary>Route by category (off: every request on the fallback model, strategies still switch).</summary>
    public bool ModelRouting { get; init; } = true;

    /// <summary>Per-category strategies (off: plain decoding everywhere).</summary>
    public bool StrategySwitch { get; init; } = true;

    /// <summary>Fall back when H &gt; τ (off: the probe's top category is always trusted).</summary>
    public bool EntropyGate { get; init; } = true;

    /// <summary>Use the request's true category instead of a probe (the oracle router).</summary>
    public bool TrueCategory { get; init; }

    /// <summary>
    /// Probe a request whose length alone already sends it to the fallback model (longer than the limit of every rule
    /// that names another model). Off: such a request skips the probe and decodes with the fallback strategy, the probe
    /// being needed there only to pick a per-category strategy.
    /// </summary>
    public bool ProbeWhenContextDecides { get; init; } = true;
}

/// <summary>
/// A-IO's policy and its ablations. In order: an uncertain probe (H &gt; τ) goes to the fallback model; a
/// category without a rule goes there too; a request longer than its rule's context limit goes there; otherwise
/// the category's rule decides. On the fallback model a category decodes with its fallback strategy. Entropy exactly τ and context exactly at the
/// limit stay with the rule.
/// </summary>
public sealed class RulePolicy : IRoutingPolicy
{
    private readonly PolicyOptions _options;
    private readonly RuleSwitches _switches;

    public RulePolicy(string name, PolicyOptions options, RuleSwitches? switches = null)
    {
        options.Validate();
        Name = name;
        _options = options;
        _switches = switches ?? new RuleSwitches();
    }

    public string Name { get; }

    public bool NeedsProbe => !_switches.TrueCategory;

    public bool NeedsProbeFor(int contextTokens) => NeedsProbe && (_switches.ProbeWhenContextDecides || !ContextDecides(contextTokens));

    /// <summary>
    /// Whether a request of <paramref name="contextTokens"/> goes to the fallback model whatever its category: every
    /// rule for another model has a context limit below it (an uncertain probe and an unknown category go there too).
    /// </summary>
    public bool ContextDecides(int contextTokens) => _options.Categories.Values
        .Where(rule => rule.Model != _options.FallbackModel)
        .All(rule => _options.LimitOf(rule) is { } limit && contextTokens > limit);

    public PolicyOptions Options => _options;

    public RouteDecision Decide(RoutingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (model, strategy, category, reason) = Rule(input);
        if (!_switches.ModelRouting && model != _options.FallbackModel)
        {
            reason += " (model routing off)";
            model = _options.FallbackModel;
        }
        if (!_switches.StrategySwitch && strategy is not PlainDecoding)
        {
            reason += " (strategy switch off)";
            strategy = DecodingStrategy.Plain;
        }
        return RouteDecision.For(input, model, strategy, category, reason);
    }

    private (ModelRole Model, DecodingStrategy Strategy, string? Category, string Reason) Rule(RoutingInput input)
    {
        string category;
        var evidence = "";
        if (_switches.TrueCategory)
        {
            category = input.TrueCategory
                ?? throw new RoutingException($"policy '{Name}' routes by the true category, and the request has none");
            evidence = $"{category} (true)";
        }
        else if (input.Probe is null && !_switches.ProbeWhenContextDecides && ContextDecides(input.ContextTokens))
        {
            return (_options.FallbackModel, _options.FallbackStrategy ?? DecodingStrategy.Plain, null,
                $"context {input.ContextTokens} over every limit of a rule for another model: fallback, no probe");
        }
        else
        {
            var probe = input.Probe ?? throw new RoutingException($"policy '{Name}' needs the probe's result, and none ran");
            category = probe.Category;
            evidence = $"{category}, H {probe.Entropy:F3}";
            if (_switches.EntropyGate && probe.Entropy > _options.Tau)
            {
                var strategy = _options.Categories.TryGetValue(category, out var guess)
                    ? _options.StrategyOnFallback(guess)
                    : _options.FallbackStrategy ?? DecodingStrategy.Plain;
                return (_options.FallbackModel, strategy, category, $"{evidence} > τ {_options.Tau:F3}");
            }
            if (_switches.EntropyGate)
                evidence += $" ≤ τ {_options.Tau:F3}";
        }

        if (!_options.Categories.TryGetValue(category, out var rule))
            return (_options.FallbackModel, _options.FallbackStrategy ?? DecodingStrategy.Plain, category, $"{evidence}: no rule for category '{category}'");

        if (_options.LimitOf(rule) is { } limit)
        {
            if (input.ContextTokens > limit)
                return (_options.FallbackModel, _options.StrategyOnFallback(rule), category, $"{evidence}, context {input.ContextTokens} > {limit}");
            evidence += $", context {input.ContextTokens} ≤ {limit}";
        }
        return (rule.Model, rule.Strategy, category, evidence);
    }
}
