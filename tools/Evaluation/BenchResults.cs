using System.Text.Json;
using System.Text.Json.Serialization;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation;

/// <summary>results.json: the machine, the models, and one entry per (configuration, workload) run.</summary>
public sealed record BenchResults
{
    [JsonPropertyName("machine")] public required MachineInfo Machine { get; init; }
    [JsonPropertyName("models")] public required IReadOnlyList<ModelInfo> Models { get; init; }
    [JsonPropertyName("settings")] public required BenchSettings Settings { get; init; }
    [JsonPropertyName("runs")] public required IReadOnlyList<RunResult> Runs { get; init; }
    [JsonPropertyName("overhead")] public OverheadBreakdown? Overhead { get; init; }
    /// <summary>The probe on the held-out probe split (short prompts of every category).</summary>
    [JsonPropertyName("probe_confusion")] public ConfusionMatrix? ProbeConfusion { get; init; }
    /// <summary>The probe on long prompts (the long test split: long code and long lookup, whose category is qa).</summary>
    [JsonPropertyName("probe_confusion_long")] public ConfusionMatrix? ProbeConfusionLong { get; init; }
    /// <summary>The §5.2 expectation per scenario: aio's rules under the probe's confusion against the oracle's.</summary>
    [JsonPropertyName("error_penalty")] public IReadOnlyList<ErrorPenaltyRow>? ErrorPenalty { get; init; }
    [JsonPropertyName("run_seconds")] public double RunSeconds { get; init; }

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static BenchResults Load(string path) =>
        JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty");
}

public sealed record MachineInfo(
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("cpus")] int Cpus,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("acl_library")] string AclLibrary);

public sealed record ModelInfo(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("weight_bytes")] long WeightBytes,
    [property: JsonPropertyName("layers")] int Layers,
    [property: JsonPropertyName("hidden")] int Hidden,
    [property: JsonPropertyName("max_context")] int MaxContext);

public sealed record BenchSettings(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("max_tokens")] int MaxTokens,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("suite_seed")] ulong SuiteSeed,
    [property: JsonPropertyName("quick")] bool Quick,
    [property: JsonPropertyName("tps_definition")] string TpsDefinition,
    [property: JsonPropertyName("repetitions")] int Repetitions = 1,
    [property: JsonPropertyName("scenario_requests")] int ScenarioRequests = 0,
    [property: JsonPropertyName("long_requests")] int LongRequests = 0);

/// <summary>One configuration on one workload, measured by running its trace through the router.</summary>
public sealed record RunResult
{
    [JsonPropertyName("config")] public required string Config { get; init; }
    [JsonPropertyName("workload")] public required string Workload { get; init; }
    [JsonPropertyName("requests")] public required int Requests { get; init; }
    [JsonPropertyName("accuracy")] public required double Accuracy { get; init; }
    [JsonPropertyName("tps")] public required double Tps { get; init; }
    [JsonPropertyName("latency_ms_mean")] public required double LatencyMsMean { get; init; }
    [JsonPropertyName("latency_ms_p95")] public required double LatencyMsP95 { get; init; }
    /// <summary>Share of requests per model, keyed by the models' names (<see cref="ModelInfo.Name"/>).</summary>
    [JsonPropertyName("share")] public required IReadOnlyDictionary<string, double> Share { get; init; }
    /// <summary>Share of requests the small model or its quantized variant served.</summary>
    [JsonPropertyName("small_share")] public double SmallShare { get; init; }
    /// <summary>Accepted ÷ proposed PLD drafts; null (written as null) when no request used PLD.</summary>
    [JsonPropertyName("pld_acceptance"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double? PldAcceptance { get; init; }
    [JsonPropertyName("generated_tokens")] public required long GeneratedTokens { get; init; }
    [JsonPropertyName("wall_seconds")] public required double WallSeconds { get; init; }
    [JsonPropertyName("weight_bytes_per_token")] public required double WeightBytesPerToken { get; init; }

    /// <summary>
    /// Requests over the chosen model's context that the router ran on the large model instead; their accuracy and TPS
    /// are the large model's, so a cell with any is not the configuration's own figure.
    /// </summary>
    [JsonPropertyName("moved_to_large_for_context")] public int MovedToLargeForContext { get; init; }

    /// <summary>Requests that failed (e.g. a prompt over the chosen model's context); they count as wrong.</summary>
    [JsonPropertyName("errors")] public int Errors { get; init; }

    /// <summary>Timed repetitions behind <see cref="Tps"/> (the median of <see cref="TpsPerRepetition"/>); the warm-up pass is not one.</summary>
    [JsonPropertyName("repetitions")] public int Repetitions { get; init; } = 1;

    [JsonPropertyName("tps_per_repetition")] public IReadOnlyList<double>? TpsPerRepetition { get; init; }

    /// <summary>The median TPS with its order-statistic interval over the repetitions.</summary>
    [JsonPropertyName("tps_interval")] public Estimate? TpsInterval { get; init; }

    /// <summary>Wilson's 95 % interval of the accuracy.</summary>
    [JsonPropertyName("accuracy_interval")] public Estimate? AccuracyInterval { get; init; }

    /// <summary>
    /// Set on rows computed from other rows rather than run (e.g. "aio-theoretical"): how. Such rows have no
    /// repetitions of their own.
    /// </summary>
    [JsonPropertyName("derived")] public string? Derived { get; init; }

    /// <summary>Each request in trace order: for paired tests (McNemar), placebo checks and the hindsight row.</summary>
    [JsonPropertyName("per_request")] public IReadOnlyList<RequestOutcome>? PerRequest { get; init; }
}

/// <summary>
/// One request of a run: correctness and tokens (the same in every repetition under greedy decoding; the first
/// timed repetition's are kept), the median latency over the repetitions, the route taken, and the routing overhead
/// (probe template, probe prefill and decision) of the first timed repetition.
/// </summary>
public sealed record RequestOutcome(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("correct")] bool Correct,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("route")] string Route,
    [property: JsonPropertyName("probe_ms")] double ProbeMs = 0);

/// <summary>
/// The paper's §5.2 expectation on one scenario's mix: E[acc] = Σ_c π_c Σ_ĉ P(ĉ|c) acc(c, T(ĉ)) with P from the
/// probe's confusion matrix, T the aio policy's category rules and acc(c, ·) the per-task runs; the oracle has P = I.
/// </summary>
public sealed record ErrorPenaltyRow(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("expected_accuracy")] double ExpectedAccuracy,
    [property: JsonPropertyName("oracle_accuracy")] double OracleAccuracy,
    [property: JsonPropertyName("expected_tps")] double ExpectedTps,
    [property: JsonPropertyName("oracle_tps")] double OracleTps)
{
    [JsonPropertyName("accuracy_penalty")] public double AccuracyPenalty => OracleAccuracy - ExpectedAccuracy;
}

/// <summary>Mean per-request routing overhead against generation time, in milliseconds.</summary>
public sealed record OverheadBreakdown(
    [property: JsonPropertyName("template_ms")] double TemplateMs,
    [property: JsonPropertyName("probe_prefill_ms")] double ProbePrefillMs,
    [property: JsonPropertyName("decision_ms")] double DecisionMs,
    [property: JsonPropertyName("model_switch_ms")] double ModelSwitchMs,
    [property: JsonPropertyName("generation_ms")] double GenerationMs,
    [property: JsonPropertyName("requests")] int Requests)
{
    [JsonPropertyName("overhead_share")]
    public double OverheadShare => GenerationMs > 0 ? (TemplateMs + ProbePrefillMs + DecisionMs + ModelSwitchMs) / GenerationMs : 0;
}

/// <summary>Rows: true category; columns: predicted category.</summary>
public sealed record ConfusionMatrix(
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("counts")] int[][] Counts)
{
    [JsonPropertyName("accuracy")]
    public double Accuracy
    {
        get
        {
            var total = Counts.Sum(r => r.Sum());
            return total == 0 ? 0 : (double)Enumerable.Range(0, Labels.Count).Sum(i => Counts[i][i]) / total;
        }
    }
}
