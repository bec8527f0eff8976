using System.Collections.Concurrent;
using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.Scheduling;

namespace AscendAio.Host.Metrics;

/// <summary>
/// What the server has done since it started: requests by endpoint, model and status; tokens; per-request and recent
/// tokens per second; routing shares; the probe's entropy; draft/PLD acceptance; latency. Queue depth and device
/// memory are read at scrape time. Rendered as Prometheus text by <see cref="Render"/>.
/// </summary>
public sealed class HostMetrics
{
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(string Endpoint, string Model, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<string, long> _promptTokens = new();
    private readonly ConcurrentDictionary<string, long> _completionTokens = new();
    private readonly ConcurrentDictionary<(string Model, string Strategy, string Category), long> _routes = new();
    private readonly ConcurrentDictionary<string, (long Proposed, long Accepted)> _drafts = new();
    private readonly ConcurrentQueue<(long Timestamp, int Tokens)> _recent = new();
    private readonly Histogram _entropy = new(0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.1);
    private readonly Histogram _latency = new(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    private readonly Histogram _queueWait = new(0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30);
    private readonly Histogram _tokensPerSecond = new(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500);
    private long _rejected, _cancelled, _failed, _aborted;

    public void RecordStatus(string endpoint, string model, int status) =>
        _requests.AddOrUpdate((endpoint, model, status), 1, (_, n) => n + 1);

    public void RecordRejected() => Interlocked.Increment(ref _rejected);

    public void RecordCancelled() => Interlocked.Increment(ref _cancelled);

    public void RecordFailed() => Interlocked.Increment(ref _failed);

    /// <summary>A request whose body never arrived whole: the client closed the connection or broke the transfer.</summary>
    public void RecordAborted() => Interlocked.Increment(ref _aborted);

    public void RecordQueueWait(TimeSpan wait) => _queueWait.Observe(wait.TotalSeconds);

    /// <summary>A finished generation: its route, tokens and timings.</summary>
    public void RecordCompletion(RouteInfo route, GenerationMetrics metrics, TimeSpan total)
    {
        _promptTokens.AddOrUpdate(route.Model, metrics.PromptTokens, (_, n) => n + metrics.PromptTokens);
        _completionTokens.AddOrUpdate(route.Model, metrics.GeneratedTokens, (_, n) => n + metrics.GeneratedTokens);
        _routes.AddOrUpdate((route.Model, route.Strategy, route.Category ?? "none"), 1, (_, n) => n + 1);
        if (route.Entropy is { } entropy)
            _entropy.Observe(entropy);
        if (metrics.DraftTokensProposed > 0)
            _drafts.AddOrUpdate(route.Strategy, (metrics.DraftTokensProposed, metrics.DraftTokensAccepted),
                (_, d) => (d.Proposed + metrics.DraftTokensProposed, d.Accepted + metrics.DraftTokensAccepted));
        _latency.Observe(total.TotalSeconds);
        if (metrics.TokensPerSecond > 0)
            _tokensPerSecond.Observe(metrics.TokensPerSecond);
        _recent.Enqueue((Stopwatch.GetTimestamp(), metrics.GeneratedTokens));
        Prune();
    }

    /// <summary>Generated tokens per second over the last minute, all requests together.</summary>
    public double RecentTokensPerSecond()
    {
        Prune();
        return _recent.Sum(r => r.Tokens) / ThroughputWindow.TotalSeconds;
    }

    public string Render(RequestScheduler scheduler, BackendStatus status)
    {
        var text = new PrometheusText();
        text.Family("aio_requests_total", "counter", "HTTP requests by endpoint, requested model and status code.");
        foreach (var ((endpoint, model, code), n) in _requests.OrderBy(r => r.Key))
            text.Sample("aio_requests_total", n, ("endpoint", endpoint), ("model", model), ("status", code.ToString()));
        Counter(text, "aio_requests_rejected_total", "Requests refused with 429 because the queue was full.", Interlocked.Read(ref _rejected));
        Counter(text, "aio_requests_cancelled_total", "Requests cancelled mid-generation (client disconnect or shutdown).", Interlocked.Read(ref _cancelled));
        Counter(text, "aio_requests_failed_total", "Requests that failed on the device or in the engine (500).", Interlocked.Read(ref _failed));
        Counter(text, "aio_requests_aborted_total", "Requests whose body did not arrive whole (the client closed the connection or broke the transfer).", Interlocked.Read(ref _aborted));

        PerModel(text, "aio_prompt_tokens_total", "Prompt tokens processed, by the model that ran them.", _promptTokens);
        PerModel(text, "aio_completion_tokens_total", "Tokens generated, by the model that produced them.", _completionTokens);
        text.Family("aio_tokens_per_second", "gauge", "Generated tokens per second over the last 60 s, all requests.");
        text.Sample("aio_tokens_per_second", RecentTokensPerSecond());
        text.Histogram("aio_request_tokens_per_second", "Per-request generated tokens per second of prefill + decode time.", _tokensPerSecond);
        text.Histogram("aio_request_duration_seconds", "Time from admission to the last token.", _latency);
        text.Histogram("aio_queue_wait_seconds", "Time admitted requests waited for a sequence slot.", _queueWait);

        text.Family("aio_route_total", "counter", "Completed requests by the model and strategy that served them and the probe's category.");
        foreach (var ((model, strategy, category), n) in _routes.OrderBy(r => r.Key))
            text.Sample("aio_route_total", n, ("model", model), ("strategy", strategy), ("category", category));
        text.Family("aio_route_share", "gauge", "Share of completed requests served by each model.");
        var total = Math.Max(1, _routes.Values.Sum());
        foreach (var group in _routes.GroupBy(r => r.Key.Model).OrderBy(g => g.Key))
            text.Sample("aio_route_share", (double)group.Sum(g => g.Value) / total, ("model", group.Key));
        text.Histogram("aio_probe_entropy_nats", "Entropy of the probe's category distribution (routed requests).", _entropy);

        text.Family("aio_draft_tokens_proposed_total", "counter", "Draft tokens proposed, by strategy (pld, draft).");
        foreach (var (strategy, d) in _drafts.OrderBy(d => d.Key))
            text.Sample("aio_draft_tokens_proposed_total", d.Proposed, ("strategy", strategy));
        text.Family("aio_draft_tokens_accepted_total", "counter", "Draft tokens accepted by the verifier, by strategy.");
        foreach (var (strategy, d) in _drafts.OrderBy(d => d.Key))
            text.Sample("aio_draft_tokens_accepted_total", d.Accepted, ("strategy", strategy));
        text.Family("aio_draft_acceptance_ratio", "gauge", "Accepted / proposed draft tokens since start, by strategy (PLD acceptance).");
        foreach (var (strategy, d) in _drafts.OrderBy(d => d.Key))
            text.Sample("aio_draft_acceptance_ratio", d.Proposed > 0 ? (double)d.Accepted / d.Proposed : 0, ("strategy", strategy));

        Gauge(text, "aio_queue_depth", "Admitted requests waiting for a sequence slot.", scheduler.Waiting);
        Gauge(text, "aio_running_sequences", "Requests generating now.", scheduler.Running);
        Gauge(text, "aio_queue_capacity", "Queue places (limits:queueLength).", scheduler.QueueLength);
        Gauge(text, "aio_sequence_slots", "Concurrent sequences allowed (limits:concurrentSequences).", scheduler.ConcurrentSequences);

        text.Family("aio_device_memory_bytes", "gauge", "Device memory as aclrtGetMemInfo reports it.");
        text.Sample("aio_device_memory_bytes", status.DeviceMemory.Free, ("kind", "free"));
        text.Sample("aio_device_memory_bytes", status.DeviceMemory.Used, ("kind", "used"));
        text.Sample("aio_device_memory_bytes", status.DeviceMemory.Total, ("kind", "total"));
        text.Family("aio_model_memory_bytes", "gauge", "Device memory per resident model: graphs (weights included) and KV caches.");
        foreach (var m in status.Models)
        {
            text.Sample("aio_model_memory_bytes", m.GraphDeviceBytes, ("model", m.Model), ("kind", "graphs"));
            text.Sample("aio_model_memory_bytes", m.KvBytes, ("model", m.Model), ("kind", "kv_cache"));
        }
        text.Family("aio_kv_caches", "gauge", "KV caches per resident model, in use and pooled.");
        foreach (var m in status.Models)
        {
            text.Sample("aio_kv_caches", m.KvCachesInUse, ("model", m.Model), ("state", "in_use"));
            text.Sample("aio_kv_caches", m.KvCachesIdle, ("model", m.Model), ("state", "idle"));
        }
        return text.ToString();
    }

    private void Prune()
    {
        var horizon = Stopwatch.GetTimestamp() - (long)(ThroughputWindow.TotalSeconds * Stopwatch.Frequency);
        while (_recent.TryPeek(out var oldest) && oldest.Timestamp < horizon)
            _recent.TryDequeue(out _);
    }

    private static void Counter(PrometheusText text, string name, string help, long value)
    {
        text.Family(name, "counter", help);
        text.Sample(name, value);
    }

    private static void Gauge(PrometheusText text, string name, string help, double value)
    {
        text.Family(name, "gauge", help);
        text.Sample(name, value);
    }

    private static void PerModel(PrometheusText text, string name, string help, ConcurrentDictionary<string, long> values)
    {
        text.Family(name, "counter", help);
        foreach (var (model, n) in values.OrderBy(v => v.Key))
            text.Sample(name, n, ("model", model));
    }
}
