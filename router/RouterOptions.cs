using AscendAio.Router.Adaptive;
using AscendAio.Router.Probing;

namespace AscendAio.Router;

/// <summary>How the router runs around its policy.</summary>
public sealed record RouterOptions
{
    /// <summary>
    /// Keep the probe's KV cache and let generation on the small model continue from it (the request is a prefix
    /// of both prompts), instead of prefilling the request again.
    /// </summary>
    public bool ReuseProbePrefix { get; init; } = true;

    /// <summary>
    /// When the chosen model cannot hold the prompt plus one token, serve the request on the large model instead
    /// (the reason says so). Off: the engine's ContextOverflowException reaches the caller.
    /// </summary>
    public bool LargeWhenPromptDoesNotFit { get; init; } = true;

    /// <summary>Seed of the random source handed to policies (the random baseline).</summary>
    public int Seed { get; init; }

    /// <summary>Online PLD payoff tracking per category and model (PLD only where it is measured faster); null = off.</summary>
    public AdaptivePldOptions? AdaptivePld { get; init; }

    /// <summary>How an instruct probe asks the small model (labels, instruction); null = the policy's (probe section), else the bundle's.</summary>
    public InstructProbeOptions? InstructProbe { get; init; }

    /// <summary>Dispose the models with the router.</summary>
    public bool OwnsModels { get; init; }
}
