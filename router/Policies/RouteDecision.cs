using AscendAio.Engine.Generation;

namespace AscendAio.Router.Policies;

/// <summary>
/// Where a request goes and how it is decoded, with the evidence: the probe's category, entropy and
/// distribution (null / NaN / empty when no probe ran) and a short text naming the rule that fired.
/// </summary>
public sealed record RouteDecision
{
    public required ModelRole Model { get; init; }

    public required DecodingStrategy Strategy { get; init; }

    /// <summary>code | qa | math from the probe (the true category for the oracle); null when none is known.</summary>
    public string? Category { get; init; }

    /// <summary>The probe's entropy in nats; NaN when no probe ran.</summary>
    public double Entropy { get; init; } = double.NaN;

    public IReadOnlyDictionary<string, double> Probabilities { get; init; } = Empty;

    /// <summary>Which rule fired, e.g. "code, H 0.120 ≤ τ 0.450, context 87 ≤ 512 → small, plain".</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// True when the policy's model could not hold the prompt and the router moved the request to the large model
    /// (<see cref="RouterOptions.LargeWhenPromptDoesNotFit"/>): the request then measures the large model, not the policy's choice.
    /// </summary>
    public bool MovedToLargeForContext { get; init; }

    /// <summary>Routing overhead; zeros for a policy without a probe. Filled in by the router.</summary>
    public RouteTimings Timings { get; init; } = RouteTimings.None;

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

    /// <summary>A decision carrying the probe's evidence from <paramref name="input"/>.</summary>
    public static RouteDecision For(RoutingInput input, ModelRole model, DecodingStrategy strategy, string? category, string reason) => new()
    {
        Model = model,
        Strategy = strategy,
        Category = category,
        Entropy = input.Probe?.Entropy ?? double.NaN,
        Probabilities = input.Probe?.Distribution.ToDictionary() ?? Empty,
        Reason = $"{reason} → {model.RoleName()}, {Describe(strategy)}",
    };

    public static string Describe(DecodingStrategy strategy) => strategy switch
    {
        PromptLookupDecoding p => $"pld(n={p.MaxNgram}, l={p.LookAhead})",
        DraftSpeculativeDecoding d => $"draft(k={d.DraftTokens})",
        _ => strategy.Name,
    };
}

/// <summary>
/// Routing overhead before generation, in milliseconds: applying and tokenizing the probe template, the
/// small model's probe prefill (KV rent to logits on the host), and the decision (softmax, entropy, policy).
/// </summary>
public sealed record RouteTimings(double TemplateMs, double ProbePrefillMs, double DecisionMs)
{
    public static readonly RouteTimings None = new(0, 0, 0);

    public double TotalMs => TemplateMs + ProbePrefillMs + DecisionMs;
}
