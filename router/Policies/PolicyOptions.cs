using AscendAio.Engine.Generation;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Policies;

/// <summary>
/// One category's rule: the model it goes to, the decoding strategy, and the largest context (generation
/// prompt tokens) that model takes. A request of the category that lands on the fallback model instead (over the
/// limit, or H &gt; τ) decodes with <see cref="FallbackStrategy"/>, by default the same strategy.
/// </summary>
public sealed record CategoryRule(ModelRole Model, DecodingStrategy Strategy, int? ContextLimit = null, DecodingStrategy? FallbackStrategy = null);

/// <summary>
/// Typed options of every policy, validated in one place. <see cref="Default"/> is the paper's rule set:
/// code ∧ context ≤ <see cref="ContextLimit"/> ∧ H ≤ τ → small; else large; PLD on for qa/math on the large
/// model, off for code.
/// </summary>
public sealed record PolicyOptions
{
    /// <summary>The PLD settings of the default rules and of the *-pld baselines: n-gram ≤ 6, look-ahead 2.</summary>
    public static readonly PromptLookupDecoding DefaultPld = new(MaxNgram: 6, LookAhead: 2);

    /// <summary>Entropy threshold in nats: above it the probe is not trusted and the fallback model serves.</summary>
    public double Tau { get; init; } = 0.45;

    /// <summary>
    /// Context limit (generation prompt tokens) of rules that send a category to a small model and name no limit
    /// of their own. 512 = the reference pair's small model's trained context (the paper's 2K is its small model's).
    /// </summary>
    public int ContextLimit { get; init; } = 512;

    public IReadOnlyDictionary<string, CategoryRule> Categories { get; init; } = DefaultCategories();

    /// <summary>Where uncertain (H &gt; τ), over-long and unknown-category requests go.</summary>
    public ModelRole FallbackModel { get; init; } = ModelRole.Large;

    /// <summary>
    /// Strategy on the fallback model for categories without a fallback strategy of their own; null = keep the
    /// (predicted) category's strategy, plain for unknown categories.
    /// </summary>
    public DecodingStrategy? FallbackStrategy { get; init; }

    /// <summary>PLD settings of the small-pld / large-pld baselines.</summary>
    public PromptLookupDecoding Pld { get; init; } = DefaultPld;

    /// <summary>Draft tokens per step of the draft-spec baseline.</summary>
    public int DraftTokens { get; init; } = 4;

    /// <summary>Seed of the random policy.</summary>
    public int Seed { get; init; }

    /// <summary>Share of requests the random policy sends to the small model: set it to A-IO's measured share.</summary>
    public double RandomSmallShare { get; init; } = 1.0 / 3;

    /// <summary>
    /// How an instruct model's probe asks (labels, instruction, answer prefix), over the small bundle's own; null = the
    /// bundle's. The reference pair's special-token probe ignores it.
    /// </summary>
    public InstructProbeOptions? InstructProbe { get; init; }

    public static PolicyOptions Default { get; } = new();

    public static Dictionary<string, CategoryRule> DefaultCategories() => new(StringComparer.Ordinal)
    {
        ["code"] = new CategoryRule(ModelRole.Small, DecodingStrategy.Plain),
        ["qa"] = new CategoryRule(ModelRole.Large, DefaultPld),
        ["math"] = new CategoryRule(ModelRole.Large, DefaultPld),
    };

    /// <summary>How a category's request decodes when it lands on the fallback model.</summary>
    public DecodingStrategy StrategyOnFallback(CategoryRule rule) => rule.FallbackStrategy ?? FallbackStrategy ?? rule.Strategy;

    /// <summary>The context limit a category's rule applies, or null for none.</summary>
    public int? LimitOf(CategoryRule rule) => rule.ContextLimit ?? (rule.Model.IsSmall() ? ContextLimit : null);

    /// <summary>Throws <see cref="RoutingException"/> naming the first invalid field (JSON spelling).</summary>
    public void Validate()
    {
        if (!(Tau >= 0))
            throw new RoutingException($"tau: must be a non-negative number of nats (+inf disables the gate), got {Tau}");
        if (ContextLimit < 1)
            throw new RoutingException($"context_limit: must be at least 1 token, got {ContextLimit}");
        if (Categories.Count == 0)
            throw new RoutingException("categories: at least one category rule is needed");
        foreach (var (name, rule) in Categories)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new RoutingException("categories: a category name is empty");
            if (rule is null)
                throw new RoutingException($"categories.{name}: the rule is missing");
            if (rule.ContextLimit is < 1)
                throw new RoutingException($"categories.{name}.context_limit: must be at least 1 token, got {rule.ContextLimit}");
            ValidateStrategy($"categories.{name}.strategy", rule.Strategy, rule.Model);
            if (rule.FallbackStrategy is not null)
                ValidateStrategy($"categories.{name}.fallback_strategy", rule.FallbackStrategy, FallbackModel);
            else if (FallbackStrategy is null)
                ValidateStrategy($"categories.{name}.strategy", rule.Strategy, FallbackModel); // it runs there too
        }
        if (FallbackStrategy is not null)
            ValidateStrategy("fallback.strategy", FallbackStrategy, FallbackModel);
        ValidateStrategy("pld", Pld, ModelRole.Large);
        if (DraftTokens < 1)
            throw new RoutingException($"draft_tokens: must be at least 1, got {DraftTokens}");
        if (!(RandomSmallShare >= 0 && RandomSmallShare <= 1))
            throw new RoutingException($"random_small_share: must be in [0, 1], got {RandomSmallShare}");
        if (InstructProbe?.Labels is { } labels)
        {
            if (labels.Count < 2)
                throw new RoutingException($"probe.labels: at least 2 categories are needed, got {labels.Count}");
            foreach (var (category, label) in labels)
            {
                if (string.IsNullOrWhiteSpace(label))
                    throw new RoutingException($"probe.labels.{category}: the label is empty");
            }
        }
    }

    private static void ValidateStrategy(string field, DecodingStrategy? strategy, ModelRole model)
    {
        switch (strategy)
        {
            case null:
                throw new RoutingException($"{field}: missing");
            case PromptLookupDecoding { MaxNgram: < 1 or > 32 } p:
                throw new RoutingException($"{field}.max_ngram: must be in 1..32, got {p.MaxNgram}");
            case PromptLookupDecoding { LookAhead: < 1 } p:
                throw new RoutingException($"{field}.look_ahead: must be at least 1, got {p.LookAhead}");
            case DraftSpeculativeDecoding { DraftTokens: < 1 } d:
                throw new RoutingException($"{field}.draft_tokens: must be at least 1, got {d.DraftTokens}");
            case DraftSpeculativeDecoding when model.IsSmall():
                throw new RoutingException($"{field}.kind: draft speculation needs a large target model, not the {model.RoleName()} model");
        }
    }
}
