using AscendAio.Router.Probing;

namespace AscendAio.Router.Policies;

/// <summary>What a policy may look at for one request.</summary>
public sealed record RoutingInput
{
    /// <summary>The probe's result; null when the policy needs none (or none ran).</summary>
    public ProbeResult? Probe { get; init; }

    /// <summary>The request's context length: tokens of the generation prompt (template applied).</summary>
    public required int ContextTokens { get; init; }

    /// <summary>The request's true category when known (evaluation sets); only the oracle uses it.</summary>
    public string? TrueCategory { get; init; }

    /// <summary>Seeded random source for the random policy; the router owns it and serialises its use.</summary>
    public Random? Random { get; init; }
}
