using AscendAio.Router.Probing;

namespace AscendAio.Router.Calibration;

/// <summary>One measured generation of a request on one route target.</summary>
public sealed record RunOutcome
{
    public required bool Correct { get; init; }
    public required int GeneratedTokens { get; init; }
    public required double PrefillMs { get; init; }
    public required double DecodeMs { get; init; }
    public int DraftTokensProposed { get; init; }
    public int DraftTokensAccepted { get; init; }

    /// <summary>
    /// Generation time (prefill + decode, ms) of every timed repetition, in the order they ran; <see cref="PrefillMs"/>
    /// and <see cref="DecodeMs"/> are those of the middle one. Null for a run timed once (sample files of older versions).
    /// </summary>
    public IReadOnlyList<double>? RepetitionMs { get; init; }

    public double GenerationMs => PrefillMs + DecodeMs;
}

/// <summary>
/// One calibration request: its true category and context, the probe's result, and a measured run per route
/// target (targets whose model cannot hold the prompt are absent). Policies are replayed over these samples
/// without running the models again.
/// </summary>
public sealed record CalibrationSample
{
    public required string Id { get; init; }
    public required string TrueCategory { get; init; }

    /// <summary>Generation prompt tokens (what the rules compare with the context limit).</summary>
    public required int ContextTokens { get; init; }

    public required ProbeResult Probe { get; init; }

    /// <summary>The aio policy's decision time on this probe result.</summary>
    public double DecisionMs { get; init; }

    /// <summary>Small-model prefill when generation continued from the probe's KV cache; null when the prompt did not fit.</summary>
    public double? ReusePrefillMs { get; init; }

    public required IReadOnlyDictionary<RouteTarget, RunOutcome> Outcomes { get; init; }

    public string PredictedCategory => Probe.Category;
}
