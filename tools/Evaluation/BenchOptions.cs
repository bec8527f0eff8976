using AscendAio.Router.Policies;
using AscendAio.Tasks;

namespace AscendAio.Evaluation;

/// <summary>What `aio bench` runs.</summary>
public sealed record BenchOptions
{
    /// <summary>The router issue's configurations, in report order.</summary>
    public static readonly string[] AllConfigs =
    [
        "static-small", "static-large", "small-pld", "large-pld", "small-quant", "large-quant", "draft-spec",
        "random", "oracle", "aio", "aio-no-model-routing", "aio-no-pld-switch", "aio-no-entropy",
    ];

    public IReadOnlyList<string> Configs { get; init; } = AllConfigs;

    public IReadOnlyList<Workload> Workloads { get; init; } = [.. Workload.PerTask, .. Workload.Scenarios];

    /// <summary>Requests per workload trace.</summary>
    public int Requests { get; init; } = 24;

    /// <summary>Overrides the per-category new-token limits when set.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Seeds the request traces and the random baseline.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Seeds the task suites the traces draw from: the reference pair's training seed, so qa asks about its knowledge base.</summary>
    public ulong SuiteSeed { get; init; } = SuiteGenerator.ReferenceSeed;

    public bool Quick { get; init; }

    /// <summary>Probe requests for the confusion matrix (the held-out probe split has 300).</summary>
    public int ProbeRequests { get; init; } = 300;

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
