using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.Scheduling;

namespace AscendAio.Host.Metrics;

/// <summary>
/// What the server has done since it started, as System.Diagnostics.Metrics instruments of the Meter
/// <see cref="MeterName"/>: requests by endpoint, model and status; tokens; per-request and recent tokens per second;
/// routing shares; the probe's entropy; draft/PLD acceptance; latency. Queue depth and device memory are observed at
/// scrape time. <see cref="MetricsExport"/> exports them (and every other AscendAio Meter) as Prometheus text.
/// </summary>
/// <remarks>
/// The instruments' names are the Prometheus names README lists; they carry no unit, so the exporter adds no suffix.
/// The Meter's scope is the server's, so two servers in one process (tests) each export only their own.
/// </remarks>
public sealed class HostMetrics : IDisposable
{
    public const string MeterName = "AscendAio.Host";

    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(60);

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _aborted;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _completionTokens;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _draftsProposed;
    private readonly Counter<long> _draftsAccepted;
    private readonly Histogram<double> _entropy;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _tokensPerSecond;

    // What the derived gauges (route share, acceptance ratio, recent throughput) are computed from at scrape time.
    private readonly ConcurrentDictionary<string, long> _routesByModel = new();
    private readonly ConcurrentDictionary<string, (long Proposed, long Accepted)> _drafts = new();
    private readonly ConcurrentQueue<(long Timestamp, int Tokens)> _recent = new();

    /// <param name="scope">The server's metrics scope (<see cref="MetricsExport"/> exports Meters of this scope).</param>
    /// <param name="scheduler">Observed for queue depth and slots.</param>
    /// <param name="backend">Observed for device and model memory.</param>
    public HostMetrics(object scope, RequestScheduler scheduler, ICompletionBackend backend)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        _requests = _meter.CreateCounter<long>("aio_requests_total", description: "HTTP requests by endpoint, requested model and status code.");
        _rejected = _meter.CreateCounter<long>("aio_requests_rejected_total", description: "Requests refused with 429 because the queue was full.");
        _cancelled = _meter.CreateCounter<long>("aio_requests_cancelled_total", description: "Requests cancelled mid-generation (client disconnect or shutdown).");
        _failed = _meter.CreateCounter<long>("aio_requests_failed_total", description: "Requests that failed on the device or in the engine (500).");
        _aborted = _meter.CreateCounter<long>("aio_requests_aborted_total", description: "Requests whose body did not arrive whole (the client closed the connection or broke the transfer).");
        _promptTokens = _meter.CreateCounter<long>("aio_prompt_tokens_total", description: "Prompt tokens processed, by the model that ran them.");
        _completionTokens = _meter.CreateCounter<long>("aio_completion_tokens_total", description: "Tokens generated, by the model that produced them.");
        _meter.CreateObservableGauge("aio_tokens_per_second", RecentTokensPerSecond, description: "Generated tokens per second over the last 60 s, all requests.");
        _tokensPerSecond = Histogram("aio_request_tokens_per_second", "Per-request generated tokens per second of prefill + decode time.", 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500);
        _latency = Histogram("aio_request_duration_seconds", "Time from admission to the last token.", 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
        _queueWait = Histogram("aio_queue_wait_seconds", "Time admitted requests waited for a sequence slot.", 0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30);

        _routed = _meter.CreateCounter<long>("aio_route_total", description: "Completed requests by the model and strategy that served them and the probe's category.");
        _meter.CreateObservableGauge("aio_route_share", RouteShares, description: "Share of completed requests served by each model.");
        _entropy = Histogram("aio_probe_entropy_nats", "Entropy of the probe's category distribution (routed requests).", 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.1);

        _draftsProposed = _meter.CreateCounter<long>("aio_draft_tokens_proposed_total", description: "Draft tokens proposed, by strategy (pld, draft).");
        _draftsAccepted = _meter.CreateCounter<long>("aio_draft_tokens_accepted_total", description: "Draft tokens accepted by the verifier, by strategy.");
        _meter.CreateObservableGauge("aio_draft_acceptance_ratio", AcceptanceRatios, description: "Accepted / proposed draft tokens since start, by strategy (PLD acceptance).");

        _meter.CreateObservableGauge("aio_queue_depth", () => scheduler.Waiting, description: "Admitted requests waiting for a sequence slot.");
        _meter.CreateObservableGauge("aio_running_sequences", () => scheduler.Running, description: "Requests generating now.");
        _meter.CreateObservableGauge("aio_queue_capacity", () => scheduler.QueueLength, description: "Queue places (limits:queueLength).");
        _meter.CreateObservableGauge("aio_sequence_slots", () => scheduler.ConcurrentSequences, description: "Concurrent sequences allowed (limits:concurrentSequences).");
        _meter.CreateObservableGauge("aio_device_memory_bytes", () => DeviceMemory(backend.Status()), description: "Device memory as aclrtGetMemInfo reports it.");
        _meter.CreateObservableGauge("aio_model_memory_bytes", () => ModelMemory(backend.Status()), description: "Device memory per resident model: graphs (weights included) and KV caches.");
        _meter.CreateObservableGauge("aio_kv_caches", () => KvCaches(backend.Status()), description: "KV caches per resident model, in use and pooled.");
    }

    public void RecordStatus(string endpoint, string model, int status) =>
        _requests.Add(1, new("endpoint", endpoint), new("model", model), new("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void RecordRejected() => _rejected.Add(1);

    public void RecordCancelled() => _cancelled.Add(1);

    public void RecordFailed() => _failed.Add(1);

    /// <summary>A request whose body never arrived whole: the client closed the connection or broke the transfer.</summary>
    public void RecordAborted() => _aborted.Add(1);

    public void RecordQueueWait(TimeSpan wait) => _queueWait.Record(wait.TotalSeconds);

    /// <summary>A finished generation: its route, tokens and timings.</summary>
    public void RecordCompletion(RouteInfo route, GenerationMetrics metrics, TimeSpan total)
    {
        var model = new KeyValuePair<string, object?>("model", route.Model);
        _promptTokens.Add(metrics.PromptTokens, model);
        _completionTokens.Add(metrics.GeneratedTokens, model);
        _routed.Add(1, model, new("strategy", route.Strategy), new("category", route.Category ?? "none"));
        _routesByModel.AddOrUpdate(route.Model, 1, (_, n) => n + 1);
        if (route.Entropy is { } entropy)
            _entropy.Record(entropy);
        if (metrics.DraftTokensProposed > 0)
        {
            var strategy = new KeyValuePair<string, object?>("strategy", route.Strategy);
            _draftsProposed.Add(metrics.DraftTokensProposed, strategy);
            _draftsAccepted.Add(metrics.DraftTokensAccepted, strategy);
            _drafts.AddOrUpdate(route.Strategy, (metrics.DraftTokensProposed, metrics.DraftTokensAccepted),
                (_, d) => (d.Proposed + metrics.DraftTokensProposed, d.Accepted + metrics.DraftTokensAccepted));
        }
        _latency.Record(total.TotalSeconds);
        if (metrics.TokensPerSecond > 0)
            _tokensPerSecond.Record(metrics.TokensPerSecond);
        _recent.Enqueue((Stopwatch.GetTimestamp(), metrics.GeneratedTokens));
        Prune();
    }

    /// <summary>Generated tokens per second over the last minute, all requests together.</summary>
    public double RecentTokensPerSecond()
    {
        Prune();
        return _recent.Sum(r => r.Tokens) / ThroughputWindow.TotalSeconds;
    }

    public void Dispose() => _meter.Dispose();

    private Histogram<double> Histogram(string name, string description, params double[] bounds) =>
        _meter.CreateHistogram(name, unit: null, description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds });

    private IEnumerable<Measurement<double>> RouteShares()
    {
        var total = Math.Max(1, _routesByModel.Values.Sum());
        return _routesByModel.Select(p => new Measurement<double>((double)p.Value / total, new KeyValuePair<string, object?>("model", p.Key)));
    }

    private IEnumerable<Measurement<double>> AcceptanceRatios() =>
        _drafts.Select(p => new Measurement<double>(p.Value.Proposed > 0 ? (double)p.Value.Accepted / p.Value.Proposed : 0,
            new KeyValuePair<string, object?>("strategy", p.Key)));

    private static IEnumerable<Measurement<long>> DeviceMemory(BackendStatus status) =>
    [
        new(status.DeviceMemory.Free, new KeyValuePair<string, object?>("kind", "free")),
        new(status.DeviceMemory.Used, new KeyValuePair<string, object?>("kind", "used")),
        new(status.DeviceMemory.Total, new KeyValuePair<string, object?>("kind", "total")),
    ];

    private static IEnumerable<Measurement<long>> ModelMemory(BackendStatus status) => status.Models.SelectMany(m => new Measurement<long>[]
    {
        new(m.GraphDeviceBytes, new("model", m.Model), new("kind", "graphs")),
        new(m.KvBytes, new("model", m.Model), new("kind", "kv_cache")),
    });

    private static IEnumerable<Measurement<long>> KvCaches(BackendStatus status) => status.Models.SelectMany(m => new Measurement<long>[]
    {
        new(m.KvCachesInUse, new("model", m.Model), new("state", "in_use")),
        new(m.KvCachesIdle, new("model", m.Model), new("state", "idle")),
    });

    private void Prune()
    {
        var horizon = Stopwatch.GetTimestamp() - (long)(ThroughputWindow.TotalSeconds * Stopwatch.Frequency);
        while (_recent.TryPeek(out var oldest) && oldest.Timestamp < horizon)
            _recent.TryDequeue(out _);
    }
}
