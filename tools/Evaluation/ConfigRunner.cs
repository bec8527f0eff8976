using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Evaluation.Statistics;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Evaluation;

/// <summary>What one request of a run produced, kept for aggregation.</summary>
public sealed record RequestRecord(TaskItem Item, RouteDecision Decision, bool Correct, int GeneratedTokens, double LatencyMs,
    GenerationMetrics Metrics, RequestTimings Timings, string? Error = null);

/// <summary>One pass of a trace under one configuration: the requests' records and the pass's wall time.</summary>
public sealed record TracePass(IReadOnlyList<RequestRecord> Records, double WallSeconds);

/// <summary>
/// Runs one configuration (a routing policy) over one request trace through <see cref="AioRouter"/>, one request
/// after another, and aggregates accuracy, TPS (generated tokens ÷ wall time of the whole trace, routing and
/// prefill included), latency, shares, PLD acceptance and weight bytes streamed per token. Shares are keyed by
/// <paramref name="names"/> (null = the bundles' own model names).
/// </summary>
public sealed partial class ConfigRunner(RouterModels models, TaskScorer scorer, Func<string, int> maxTokensFor, ModelNames? names = null)
{
    private readonly ModelNames _names = names ?? ModelNames.FromBundles(models);

    public (RunResult Result, IReadOnlyList<RequestRecord> Requests) Run(string config, Workload workload, IReadOnlyList<TaskItem> trace,
        PolicyOptions policyOptions, int seed, Action<int>? progress = null)
    {
        var pass = Measure(config, trace, policyOptions, seed, progress);
        return (Aggregate(config, workload.Name, [pass], models, _names), pass.Records);
    }

    /// <summary>One pass of the trace under <paramref name="config"/>: every request's record and the wall time of the whole pass.</summary>
    public TracePass Measure(string config, IReadOnlyList<TaskItem> trace, PolicyOptions policyOptions, int seed, Action<int>? progress = null)
    {
        if (config == SmallTruncated)
            return MeasureTruncated(trace, progress);
        var policy = RoutingPolicies.Create(config, policyOptions);
        using var router = new AioRouter(models, policy, new RouterOptions { Seed = seed });
        var records = new List<RequestRecord>(trace.Count);
        var wall = Stopwatch.StartNew();
        foreach (var item in trace)
        {
            var start = Stopwatch.GetTimestamp();
            var options = new GenerationOptions { MaxNewTokens = maxTokensFor(item.Category) };
            using var routed = router.Route(RequestPrompt.User(item.Request), trueCategory: item.Category);
            try
            {
                var generated = router.Generate(routed, options);
                var latency = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                records.Add(new RequestRecord(item, generated.Decision, scorer.Score(item, generated.Result.Text), generated.Result.Tokens.Length,
                    latency, generated.Result.Metrics, generated.Timings));
            }
            catch (ContextOverflowException e)
            {
                // The chosen model cannot hold the request: a failed request (scored wrong), not a failed benchmark.
                records.Add(new RequestRecord(item, routed.Decision, false, 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                    new GenerationMetrics { PromptTokens = e.Tokens }, new RequestTimings(), e.Message));
            }
            progress?.Invoke(records.Count);
        }
        return new TracePass(records, wall.Elapsed.TotalSeconds);
    }

    /// <summary>One pass: <see cref="Aggregate(string, string, IReadOnlyList{TracePass}, RouterModels, ModelNames)"/> with a single repetition.</summary>
    public static RunResult Aggregate(string config, string workload, IReadOnlyList<RequestRecord> records, double wallSeconds, RouterModels models, ModelNames names) =>
        Aggregate(config, workload, [new TracePass(records, wallSeconds)], models, names);

    /// <summary>
    /// Timed repetitions of one cell: TPS is the median over the repetitions with its order-statistic interval; accuracy,
    /// shares and bytes come from the first repetition (greedy decoding makes every repetition's outputs the same), with
    /// Wilson's interval; latencies are per-request medians over the repetitions.
    /// </summary>
    public static RunResult Aggregate(string config, string workload, IReadOnlyList<TracePass> passes, RouterModels models, ModelNames names)
    {
        ArgumentOutOfRangeException.ThrowIfZero(passes.Count);
        var records = passes[0].Records;
        var tokens = records.Sum(r => (long)r.GeneratedTokens);
        var perRepetition = passes.Select(p => p.WallSeconds > 0 ? p.Records.Sum(r => (long)r.GeneratedTokens) / p.WallSeconds : 0).ToArray();
        var latencies = records.Select((_, i) => BenchStatistics.Median(passes.Select(p => p.Records[i].LatencyMs))).ToArray();
        var proposed = records.Where(r => r.Decision.Strategy is PromptLookupDecoding).Sum(r => r.Metrics.DraftTokensProposed);
        var accepted = records.Where(r => r.Decision.Strategy is PromptLookupDecoding).Sum(r => r.Metrics.DraftTokensAccepted);
        // Bytes read per generated token: the chosen models' passes plus the probe's pass over the small model.
        var probeBytes = records.Count(r => r.Timings.ProbePrefillMs > 0) * models.Small.WeightBytes;
        var weightBytes = records.Sum(r => r.Metrics.WeightBytesStreamed) + probeBytes;
        var correct = records.Count(r => r.Correct);
        return new RunResult
        {
            Config = config,
            Workload = workload,
            Requests = records.Count,
            Accuracy = records.Count == 0 ? 0 : correct / (double)records.Count,
            Tps = BenchStatistics.Median(perRepetition),
            LatencyMsMean = latencies.Length == 0 ? 0 : latencies.Average(),
            LatencyMsP95 = BenchStatistics.Percentile(latencies, 0.95),
            Share = ModelShares(records.Select(r => r.Decision.Model), records.Count, names),
            SmallShare = SmallShare(records.Select(r => r.Decision.Model), records.Count),
            PldAcceptance = proposed > 0 ? (double)accepted / proposed : null,
            GeneratedTokens = tokens,
            WallSeconds = BenchStatistics.Median(passes.Select(p => p.WallSeconds)),
            WeightBytesPerToken = tokens > 0 ? (double)weightBytes / tokens : 0,
            Errors = records.Count(r => r.Error is not null),
            MovedToLargeForContext = records.Count(r => r.Decision.MovedToLargeForContext),
            Repetitions = passes.Count,
            TpsPerRepetition = perRepetition,
            TpsInterval = BenchStatistics.MedianInterval(perRepetition),
            AccuracyInterval = records.Count == 0 ? null : BenchStatistics.Wilson(correct, records.Count),
            PerRequest = records.Select((r, i) => new RequestOutcome(r.Item.Id, r.Item.Category, r.Correct, r.GeneratedTokens, latencies[i], RouteOf(r.Decision),
                r.Timings.TemplateMs + r.Timings.ProbePrefillMs + r.Timings.DecisionMs)).ToList(),
        };
    }

    /// <summary>"model/strategy", e.g. "large/pld(n=6, l=2)": two runs that route a request alike show the same text.</summary>
    public static string RouteOf(RouteDecision decision) => $"{decision.Model.RoleName()}/{RouteDecision.Describe(decision.Strategy)}";

    /// <summary>Share per model, keyed by the models' names; the small and the large model always appear (0 when unused) and the shares sum to 1.</summary>
    public static IReadOnlyDictionary<string, double> ModelShares(IEnumerable<ModelRole> chosen, int count, ModelNames names)
    {
        var shares = new SortedDictionary<string, double>(StringComparer.Ordinal) { [names.Of(ModelRole.Small)] = 0, [names.Of(ModelRole.Large)] = 0 };
        foreach (var role in chosen)
            shares[names.Of(role)] = shares.GetValueOrDefault(names.Of(role)) + 1.0 / count;
        return shares;
    }

    /// <summary>Share of the requests the small model or its quantized variant served.</summary>
    public static double SmallShare(IEnumerable<ModelRole> chosen, int count) => count == 0 ? 0 : chosen.Count(r => r.IsSmall()) / (double)count;
}
