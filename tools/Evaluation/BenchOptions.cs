using AscendAio.Router.Policies;
using AscendAio.Tasks;

namespace AscendAio.Evaluation;

/// <summary>What `aio bench` runs.</summary>
public sealed record BenchOptions
{
    /// <summary>
    /// The router issue's configurations, in report order, "small-truncated" (<see cref="ConfigRunner.SmallTruncated"/>)
    /// and "aio-no-long-probe" (aio without the probe where the length alone decides the model); those two run only on
    /// traces with long prompts (<see cref="LongOnlyConfigs"/>).
    /// </summary>
    public static readonly string[] AllConfigs =
    [
        "static-small", "small-truncated", "static-large", "small-pld", "large-pld", "small-quant", "large-quant", "draft-spec",
        "random", "random-matched", "oracle", "aio", RoutingPolicies.AioNoLongProbe, "aio-no-model-routing", "aio-no-pld-switch", "aio-no-entropy",
    ];

    /// <summary>Configurations that differ from another only on long prompts, so they run only on traces that have them.</summary>
    public static readonly string[] LongOnlyConfigs = [ConfigRunner.SmallTruncated, RoutingPolicies.AioNoLongProbe];

    /// <summary>
    /// The configurations the default run times on traces with long prompts (the long workload, scenario C), where a
    /// request costs some 15 times a short one: the verdicts' (aio, static-small, static-large), the paper's random
    /// baseline, the oracle, the choices of the theoretical row (small/large × plain/PLD), small-truncated and aio
    /// without the long probe. The quantized, draft, share-matched and ablation cells run on the short traces only
    /// (Table 5's ablations are on scenario A).
    /// </summary>
    public static readonly string[] DefaultLongTraceConfigs =
    [
        "static-small", ConfigRunner.SmallTruncated, "static-large", "small-pld", "large-pld", "random", "oracle", "aio", RoutingPolicies.AioNoLongProbe,
    ];

    public IReadOnlyList<string> Configs { get; init; } = AllConfigs;

    /// <summary>Of <see cref="Configs"/>, those run on traces with long prompts; null = all of them.</summary>
    public IReadOnlyList<string>? LongTraceConfigs { get; init; } = DefaultLongTraceConfigs;

    public IReadOnlyList<Workload> Workloads { get; init; } = [.. Workload.PerTask, .. Workload.Scenarios];

    /// <summary>Requests per per-task workload trace (code, qa, math; long too unless <see cref="LongRequests"/> is set).</summary>
    public int Requests { get; init; } = 24;

    /// <summary>Requests per mixed-scenario trace (A, B, C); null = <see cref="Requests"/>.</summary>
    public int? ScenarioRequests { get; init; }

    /// <summary>Requests of the long workload's trace; null = <see cref="Requests"/>.</summary>
    public int? LongRequests { get; init; }

    /// <summary>Timed repetitions of every cell, configurations in a freshly shuffled order each time.</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>Requests of each cell's discarded warm-up pass (the trace's first ones), before the timed repetitions.</summary>
    public int WarmupRequests { get; init; } = 4;

    /// <summary>
    /// Runs this configuration a second time in every workload under <see cref="PlaceboLabel"/>: two cells that route
    /// identically, whose TPS ratio must hold 1 (the placebo check). Null = no twin.
    /// </summary>
    public string? PlaceboTwin { get; init; } = "static-small";

    public string? PlaceboLabel => PlaceboTwin is null ? null : PlaceboTwin + "-twin";

    /// <summary>Share of the paper's random baseline: 50/50 per request.</summary>
    public const double RandomSmallShare = 0.5;

    public int RequestsFor(Workload workload) =>
        workload.IsScenario ? ScenarioRequests ?? Requests
        : workload.Slices.Any(s => s.Family == TaskFamilies.Long) && LongRequests is { } n ? n : Requests;

    /// <summary>Overrides the per-category new-token limits when set.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Seeds the request traces and the random baseline.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Seeds the task suites the traces draw from: the reference pair's training seed, so qa asks about its knowledge base.</summary>
    public ulong SuiteSeed { get; init; } = SuiteGenerator.ReferenceSeed;

    public bool Quick { get; init; }

    /// <summary>Probe requests for the confusion matrix (the held-out probe split has 300).</summary>
    public int ProbeRequests { get; init; } = 300;

    /// <summary>Long prompts for the probe's second confusion matrix (from the long test split, half code, half lookup).</summary>
    public int LongProbeRequests { get; init; } = 200;

    public PolicyOptions Policy { get; init; } = PolicyOptions.Default;

    /// <summary>New-token limits per category: room for the longest reference answers of each family.</summary>
    public int MaxTokensFor(string category) => MaxTokens ?? category switch
    {
        TaskFamilies.Qa => 32,
        _ => 96,
    };
}

/// <summary>Progress of a bench run, for the console's progress bar.</summary>
public readonly record struct BenchProgress(string Phase, int Done, int Total, string Detail);
