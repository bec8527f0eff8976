using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation.Load;

/// <summary>
/// A closed-loop storm against a running server: C clients each send a completion, read the answer and send the next
/// for a fixed time; a 429 is retried at once, ignoring Retry-After (the worst client there is). With more clients than
/// the server admits (running + queued), most answers are 429s; what matters is whether refusing them stays cheap
/// enough that the served throughput holds at what the server does with just enough clients to fill its queue.
/// </summary>
public static class StormBench
{
    public static async Task<StormResult> RunAsync(Uri server, string model, int clients, TimeSpan duration, int maxTokens, string[] prompts,
        CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 8 }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
        using (await client.GetAsync("/health", cancellation).ConfigureAwait(false)) { }   // connection and JIT warm

        var clock = Stopwatch.StartNew();
        var end = duration.TotalMilliseconds;
        long served = 0, tokens = 0, rejected = 0;
        var other = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var latencies = new List<double>[clients];
        var loops = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            latencies[c] = [];
            for (var i = 0; clock.Elapsed.TotalMilliseconds < end; i++)
            {
                var started = clock.Elapsed.TotalMilliseconds;
                var body = new JsonObject { ["model"] = model, ["prompt"] = prompts[(c + i * clients) % prompts.Length], ["max_tokens"] = maxTokens };
                using var response = await client.PostAsJsonAsync("/v1/completions", body, cancellation).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
                if (clock.Elapsed.TotalMilliseconds >= end)
                    break;   // an answer past the window is not counted: the rates are per window
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        Interlocked.Increment(ref served);
                        Interlocked.Add(ref tokens, JsonNode.Parse(text)!["usage"]!["completion_tokens"]!.GetValue<int>());
                        latencies[c].Add(clock.Elapsed.TotalMilliseconds - started);
                        break;
                    case HttpStatusCode.TooManyRequests:
                        Interlocked.Increment(ref rejected);
                        break;
                    default:
                        other.AddOrUpdate(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                        break;
                }
            }
        }, cancellation)).ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);

        var seconds = duration.TotalSeconds;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new StormResult(clients, seconds, served / seconds, tokens / seconds, rejected / seconds, new SortedDictionary<string, int>(other),
            BenchStatistics.Percentile(sorted, 0.5), BenchStatistics.Percentile(sorted, 0.99));
    }

    /// <summary>Waits until /health reports nothing running or queued (what a window left behind has drained), at most <paramref name="timeout"/> (default one minute).</summary>
    public static async Task WaitIdleAsync(Uri server, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        using var client = new HttpClient { BaseAddress = server };
        var limit = timeout ?? TimeSpan.FromMinutes(1);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            var state = JsonNode.Parse(await client.GetStringAsync("/health", cancellation).ConfigureAwait(false))!;
            if (state["running"]!.GetValue<int>() + state["queued"]!.GetValue<int>() == 0)
                return;
            await Task.Delay(50, cancellation).ConfigureAwait(false);
        }
        throw new TimeoutException($"the server at {server} still had requests running or queued after {limit.TotalSeconds:F0} s");
    }
}

/// <summary>What a storm measured over its window: served requests and tokens per second, 429s per second, the count of every other status, latency of the served ones (ms).</summary>
public sealed record StormResult(int Clients, double Seconds, double ServedPerSecond, double TokensPerSecond, double RejectedPerSecond, SortedDictionary<string, int> OtherStatuses,
    double ServedP50Ms, double ServedP99Ms)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
