using System.CommandLine;
using System.Text.Json;
using AscendAio.Evaluation.Load;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench storm [--config FILE] [--clients N] [--seconds S] [--rounds N] [--max-new-tokens N] [--model NAME] [--json [FILE]] [--section:key=value ...]`:
/// starts `aio serve` in-process on a loopback port and runs closed-loop windows (<see cref="StormBench"/>) of two sizes
/// in alternating order each round: as many clients as the server admits (concurrentSequences + queueLength, the
/// capacity) and N clients that retry every 429 at once (the storm). Reports both sides' served requests and tokens per
/// second and the paired ratio storm ÷ capacity with its interval: refusing must stay cheap enough that serving holds.
/// </summary>
internal static class BenchStormCommand
{
    public const string Name = "storm";

    private static readonly Option<int> Clients = OptionRules.Integer("--clients", "clients in the storm window, each retrying a 429 at once", 128);
    private static readonly Option<int> Seconds = OptionRules.Integer("--seconds", "length of each window in seconds", 15);
    private static readonly Option<int> Rounds = OptionRules.Integer("--rounds", "rounds, each running the capacity and the storm window (in alternating order)", 5);
    private static readonly Option<int?> MaxNewTokens = SharedOptions.MaxNewTokensOption(16);

    /// <summary>The `storm` subcommand of `aio bench`.</summary>
    public static Command Declare() => new(Name,
        "closed-loop clients against aio serve in-process: a window with as many clients as the server admits (concurrentSequences + queueLength) " +
        "against a window of N clients retrying every 429 at once, alternating each round; served requests and tokens per second, 429s per second, " +
        "latency of the served, and the paired ratio of served tokens per second storm ÷ capacity")
    {
        SharedOptions.Config, Clients, Seconds, Rounds, MaxNewTokens, SharedOptions.ServedModel, SharedOptions.Json, ConfigOverrides.Option,
    };

    public static int Run(ParseResult parse)
    {
        var options = ConfigCommand.ReadOrReport(parse.GetValue(SharedOptions.Config), ConfigOverrides.Of(parse), "bench storm");
        if (options is null)
            return 1;
        var capacity = options.Limits.ConcurrentSequences + options.Limits.QueueLength;
        var storm = parse.GetValue(Clients);
        var window = TimeSpan.FromSeconds(parse.GetValue(Seconds));
        var rounds = parse.GetValue(Rounds);
        var maxTokens = parse.GetValue(MaxNewTokens) ?? 16;
        var model = parse.GetRequiredValue(SharedOptions.ServedModel);
        var prompts = LoopbackServer.BenchPrompts();

        using var stack = ConfigCommand.LoadOrReport(options, "bench storm");
        if (stack is null)
            return 1;
        var study = LoopbackServer.Run(options, stack.Backend, url => StormStudy.RunAsync(url, model, capacity, storm, window, rounds, maxTokens, prompts,
            message => Console.Error.WriteLine($"bench storm: {message}")));

        var json = JsonOutput.Of(parse);
        json.Write(JsonSerializer.Serialize(study, StormResult.Json));
        if (json.OnStdout)
            return 0;
        Console.WriteLine($"## Storm of {storm} clients retrying 429 at once against the capacity ({capacity} clients: concurrentSequences {options.Limits.ConcurrentSequences} + queue {options.Limits.QueueLength}), {rounds} rounds of {window.TotalSeconds:F0} s windows");
        Console.WriteLine("| clients | served/s median [min, max] | tokens/s median [min, max] | rejected/s median | other statuses | served p50 / p99 ms (median) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var side in new[] { study.AtCapacity, study.InStorm }.Where(s => s.Length > 0).DistinctBy(s => s[0].Clients))
            Console.WriteLine($"| {side[0].Clients} | {Spread(side.Select(r => r.ServedPerSecond))} | {Spread(side.Select(r => r.TokensPerSecond))} | " +
                              $"{BenchStatistics.Median(side.Select(r => r.RejectedPerSecond)):F0} | {OtherStatuses(side)} | " +
                              $"{BenchStatistics.Median(side.Select(r => r.ServedP50Ms)):F0} / {BenchStatistics.Median(side.Select(r => r.ServedP99Ms)):F0} |");
        if (study.TokensPerSecondRatio is { } interval)
            Console.WriteLine($"\nServed tokens/s, storm ÷ capacity (paired by round): ×{interval.Value:F2} [{interval.Low:F2}, {interval.High:F2}] ({interval.Confidence:P1} interval)");
        return 0;
    }

    private static string OtherStatuses(IEnumerable<StormResult> side)
    {
        var counts = side.SelectMany(r => r.OtherStatuses).GroupBy(p => p.Key, p => p.Value).Select(g => $"{g.Key}: {g.Sum()}").ToArray();
        return counts.Length == 0 ? "0" : string.Join(", ", counts);
    }

    private static string Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return $"{BenchStatistics.Median(sorted):F1} [{sorted[0]:F1}, {sorted[^1]:F1}]";
    }
}
