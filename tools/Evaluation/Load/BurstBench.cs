using AscendAio.Evaluation.Statistics;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AscendAio.Evaluation.Load;

/// <summary>
/// A burst against a running server over HTTP: N completion requests sent at once while a prober asks /health every
/// few milliseconds. Measures how the server stays responsive (health latency), how fast it admits the burst (the time
/// until /health counts every request not yet answered as running or queued), how it answers (statuses) and how long
/// each request takes. The server is what `aio serve` runs; the client is plain HttpClient.
/// </summary>
public static class BurstBench
{
    public static async Task<BurstResult> RunAsync(Uri server, string model, int requests, int maxTokens, string[] prompts, CancellationToken cancellation = default)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = requests + 8 }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
        using (await client.GetAsync("/health", cancellation).ConfigureAwait(false)) { }   // connection and JIT warm

        var clock = Stopwatch.StartNew();
        var answered = 0;
        var statuses = new int[requests];
        var latencies = new double[requests];
        var burst = Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
        {
            var started = clock.Elapsed.TotalMilliseconds;
            var body = new JsonObject { ["model"] = model, ["prompt"] = prompts[i % prompts.Length], ["max_tokens"] = maxTokens };
            using var response = await client.PostAsJsonAsync("/v1/completions", body, cancellation).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            statuses[i] = (int)response.StatusCode;
            latencies[i] = clock.Elapsed.TotalMilliseconds - started;
            Interlocked.Increment(ref answered);
        }, cancellation)).ToArray();

        var health = new List<double>();
        double? allAdmittedMs = null;
        var done = Task.WhenAll(burst);
        while (!done.IsCompleted)
        {
            var asked = clock.Elapsed.TotalMilliseconds;
            var answeredBefore = Volatile.Read(ref answered);
            using var response = await client.GetAsync("/health", cancellation).ConfigureAwait(false);
            var state = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false))!;
            health.Add(clock.Elapsed.TotalMilliseconds - asked);
            // Admitted: running or queued on the server, or answered already (a 429 is an answer too).
            if (allAdmittedMs is null && state["running"]!.GetValue<int>() + state["queued"]!.GetValue<int>() + answeredBefore >= requests)
                allAdmittedMs = asked;
            await Task.Delay(5, cancellation).ConfigureAwait(false);
        }
        await done.ConfigureAwait(false);
        var sortedHealth = health.Order().ToArray();
        var sortedLatency = latencies.Order().ToArray();
        return new BurstResult(requests, clock.Elapsed.TotalSeconds,
            statuses.GroupBy(s => s).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            allAdmittedMs, health.Count,
            BenchStatistics.Percentile(sortedHealth, 0.5), BenchStatistics.Percentile(sortedHealth, 0.99), sortedHealth.LastOrDefault(),
            BenchStatistics.Percentile(sortedLatency, 0.5), BenchStatistics.Percentile(sortedLatency, 0.99));
    }
}

/// <summary>What a burst measured; times in milliseconds from the burst's start. <see cref="AllAdmittedMs"/> is null when the burst ended before a probe saw it all admitted.</summary>
public sealed record BurstResult(
    int Requests, double Seconds, Dictionary<string, int> Statuses, double? AllAdmittedMs, int HealthProbes,
    double HealthP50Ms, double HealthP99Ms, double HealthMaxMs, double RequestP50Ms, double RequestP99Ms)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
