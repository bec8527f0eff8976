namespace AscendAio.Router;

/// <summary>
/// Where one request's time went, in milliseconds. Routing overhead = template + probe prefill + decision +
/// model switch. Model switch = the work between the decision and the chosen model's first forward pass:
/// truncating (reuse) or releasing the probe's KV cache, renting the chosen model's KV cache, and handing the
/// sequence to the engine; time the caller spends between Route and Generate is not counted.
/// </summary>
public sealed record RequestTimings
{
    public double TemplateMs { get; init; }
    public double ProbePrefillMs { get; init; }
    public double DecisionMs { get; init; }
    public double ModelSwitchMs { get; init; }

    /// <summary>Generation template + tokenization (every policy pays it).</summary>
    public double PromptMs { get; init; }

    public double PrefillMs { get; init; }
    public double DecodeMs { get; init; }

    public double OverheadMs => TemplateMs + ProbePrefillMs + DecisionMs + ModelSwitchMs;

    public double GenerationMs => PrefillMs + DecodeMs;
}
