using System.CommandLine;
using System.Text.Json;
using AscendAio.Evaluation.Load;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench serve [--config FILE] [--requests N] [--max-new-tokens N] [--model NAME] [--rounds N] [--json [FILE]] [--section:key=value ...]`: starts
/// `aio serve` in-process on a loopback port with the configured pair and sends bursts of N requests at once while
/// probing /health (<see cref="BurstBench"/>). Progress on stderr, a table on stdout.
/// </summary>
internal static class BenchServeCommand
{
    public const string Name = "serve";

    private static readonly Option<int> Requests = OptionRules.Integer("--requests", "completions sent at once in each burst", 64);
    private static readonly Option<int?> MaxNewTokens = SharedOptions.MaxNewTokensOption(16);
    private static readonly Option<int> Rounds = OptionRules.Integer("--rounds", "rounds, each running the server batched and unbatched (in alternating order)", 3);

    /// <summary>The `serve` subcommand of `aio bench`.</summary>
    public static Command Declare() => new(Name,
        "bursts of N concurrent completions against aio serve in-process (the configuration's limits, the queue raised to hold the burst) " +
        "while /health is probed every 5 ms: health latency, time to admit the burst, statuses, request latency; each round runs the server " +
        "batched (step schedulers) and unbatched (each request on the thread pool, the engine before batching), in alternating order")
    {
        SharedOptions.Config, Requests, MaxNewTokens, SharedOptions.ServedModel, Rounds, SharedOptions.Json, ConfigOverrides.Option,
    };

    public static int Run(ParseResult parse)
    {
        var requests = parse.GetValue(Requests);
        var options = ConfigCommand.ReadOrReport(parse.GetValue(SharedOptions.Config), ConfigOverrides.Of(parse), "bench serve");
        if (options is null)
            return 1;
        options = options with { Limits = options.Limits with { QueueLength = Math.Max(options.Limits.QueueLength, requests) } };
        var prompts = LoopbackServer.BenchPrompts();
        var model = parse.GetRequiredValue(SharedOptions.ServedModel);
        var rounds = parse.GetValue(Rounds);
        var maxTokens = parse.GetValue(MaxNewTokens) ?? 16;
        var results = new List<(string Side, BurstResult Result)>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var batched in round % 2 == 1 ? new[] { true, false } : [false, true])
            {
                using var stack = ConfigCommand.LoadOrReport(options, "bench serve", batched: batched);
                if (stack is null)
                    return 1;
                var side = batched ? "batched" : "unbatched";
                var result = LoopbackServer.Run(options, stack.Backend, url => BurstBench.RunAsync(url, model, requests, maxTokens, prompts));
                Console.Error.WriteLine($"bench serve: round {round}, {side}: {requests} requests in {result.Seconds:F1} s, /health p99 {result.HealthP99Ms:F1} ms, " +
                                        $"all admitted at {result.AllAdmittedMs?.ToString("F0") ?? "-"} ms");
                results.Add((side, result));
            }
        }

        var json = JsonOutput.Of(parse);
        json.Write(JsonSerializer.Serialize(results.Select(r => new { side = r.Side, result = r.Result }), BurstResult.Json));
        if (json.OnStdout)
            return 0;
        Console.WriteLine($"## Burst of {requests} requests against aio serve (concurrentSequences {options.Limits.ConcurrentSequences}, queue {options.Limits.QueueLength})");
        Console.WriteLine("| round | side | seconds | statuses | all admitted at (ms) | /health probes | /health p50 / p99 / max ms | request p50 / p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var ((side, r), i) in results.Select((r, i) => (r, i / 2 + 1)))
            Console.WriteLine($"| {i} | {side} | {r.Seconds:F1} | {string.Join(", ", r.Statuses.Select(s => $"{s.Key}: {s.Value}"))} | {r.AllAdmittedMs?.ToString("F0") ?? "-"} | {r.HealthProbes} | " +
                              $"{r.HealthP50Ms:F1} / {r.HealthP99Ms:F1} / {r.HealthMaxMs:F1} | {r.RequestP50Ms:F0} / {r.RequestP99Ms:F0} |");
        return 0;
    }
}
