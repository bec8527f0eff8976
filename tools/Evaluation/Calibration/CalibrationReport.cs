using AscendAio.Router.Adaptive;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Evaluation.Calibration;

// tools/Evaluation has a ConfusionMatrix of its own (the bench's results); calibration uses the router's.
using ConfusionMatrix = AscendAio.Router.Calibration.ConfusionMatrix;

/// <summary>Which options a replayed baseline runs with: the base policy's, or the calibrated ones.</summary>
public enum BaselineOptions
{
    Base,
    Calibrated,
}

/// <summary>A replayed baseline by identity: a registered policy name and the options it runs with. The label is derived, never parsed.</summary>
public readonly record struct Baseline(string Policy, BaselineOptions Options)
{
    /// <summary>The baselines every calibration replays, in report order.</summary>
    public static readonly Baseline[] All =
    [
        new("static-small", BaselineOptions.Base), new("static-large", BaselineOptions.Base), new("large-pld", BaselineOptions.Base),
        new(RoutingPolicies.Random, BaselineOptions.Calibrated), new(RoutingPolicies.Oracle, BaselineOptions.Calibrated),
        new(RoutingPolicies.Aio, BaselineOptions.Base), new(RoutingPolicies.Aio, BaselineOptions.Calibrated),
        new("aio-no-entropy", BaselineOptions.Calibrated), new("aio-no-model-routing", BaselineOptions.Calibrated),
        new("aio-no-pld-switch", BaselineOptions.Calibrated),
    ];

    /// <summary>"aio (τ default)" and "aio (τ calibrated)" tell the two aio rows apart; every other policy appears once.</summary>
    public string Label => Policy != RoutingPolicies.Aio ? Policy : Options == BaselineOptions.Base ? "aio (τ default)" : "aio (τ calibrated)";
}

public sealed record ReplayRow(Baseline Baseline, ReplayScore Score);

/// <summary>What the probe cost over a set of requests (means and medians, ms).</summary>
public sealed record ProbeCost(int Requests, double TemplateMeanMs, double TemplateMedianMs, double PrefillMeanMs, double PrefillMedianMs,
    double MeanProbeTokens, double? DecisionMedianMs, int Truncated, double MeanEntropy);

/// <summary>The small model's prefill fresh against continued from the probe's KV cache, over the requests that fit it.</summary>
public sealed record ReuseSummary(int Requests, double FreshPrefillMs, double ReusedPrefillMs, double MeanContextTokens);

/// <summary>How the samples were measured (absent when they were read from a sample file).</summary>
public sealed record MeasurementSummary(IReadOnlyDictionary<string, int> RequestsByFamily, IReadOnlyList<RouteTarget> Targets, int Repetitions,
    string TokenLimits, int ReuseMismatches, int RepetitionMismatches, double Seconds);

/// <summary>Online PLD tracking replayed with PLD on for every category, against PLD and plain always.</summary>
public sealed record AdaptiveSummary(AdaptivePldReport Report, ReplayScore PlainEverywhere);

/// <summary>Everything one calibration found; <see cref="CalibrationReportText"/> renders it, <see cref="CalibrationReportJson"/> serialises it.</summary>
public sealed record CalibrationReport
{
    public required int Samples { get; init; }
    public MeasurementSummary? Measurement { get; init; }
    public required ConfusionMatrix Confusion { get; init; }
    public required ProbeCost ProbeCost { get; init; }
    public ReuseSummary? Reuse { get; init; }

    /// <summary>Per true category and route target: median tokens/s over the repetitions, with its interval.</summary>
    public required IReadOnlyList<RouteSpeed> Speeds { get; init; }

    /// <summary>The strategy switch's verdict on every slot of the policy.</summary>
    public required IReadOnlyList<StrategyVerdict> Strategies { get; init; }

    public required TauSearchResult Search { get; init; }

    /// <summary>The calibrated policy: τ from the search, strategies from the switch, the random baseline's share from the replay.</summary>
    public required PolicyOptions Policy { get; init; }

    public required IReadOnlyList<ReplayRow> Replays { get; init; }
    public required ReplayScore Oracle { get; init; }
    public required ErrorPenalty Penalty { get; init; }
    public ConfusionMatrix? Holdout { get; init; }
    public ProbeCost? HoldoutProbeCost { get; init; }
    public IReadOnlyList<EndToEndRow>? EndToEnd { get; init; }
    public AdaptiveSummary? Adaptive { get; init; }
}
