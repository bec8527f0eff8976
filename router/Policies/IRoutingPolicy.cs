namespace AscendAio.Router.Policies;

/// <summary>A routing policy: request evidence in, model + strategy out. Pure apart from a random policy's draws.</summary>
public interface IRoutingPolicy
{
    /// <summary>The registry name ("aio", "static-large", ...).</summary>
    string Name { get; }

    /// <summary>Whether <see cref="Decide"/> reads <see cref="RoutingInput.Probe"/> (the router runs the probe only then).</summary>
    bool NeedsProbe { get; }

    /// <summary>
    /// Whether this request, of <paramref name="contextTokens"/> tokens (the small model's prompt), needs the probe: a
    /// policy may decide some requests from their length alone.
    /// </summary>
    bool NeedsProbeFor(int contextTokens) => NeedsProbe;

    /// <exception cref="RoutingException">The input lacks what this policy needs (a probe result, the true category).</exception>
    RouteDecision Decide(RoutingInput input);
}
