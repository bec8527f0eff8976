using System.Text.Json;

namespace AscendAio.Cli.Tests;

/// <summary>
/// `aio bench` in its smallest forms on the tiny pair: the mixed benchmark (--quick, three configurations, scenario A,
/// one request per trace), `bench engine` (decode TPS of one bundle on one suite) and `bench serve` (one round of a
/// two-request burst): each exits 0 with output that follows from its options.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TinyPair _pair = new("cli-bench");

    public void Dispose() => _pair.Dispose();

    [Fact]
    public void Mixed_Quick_RunsTheChosenConfigurationsOnThePerTaskWorkloadsAndTheChosenScenario()
    {
        var output = Path.Combine(_pair.Root, "bench");

        var (exit, stdout, stderr) = AioConsole.Run("bench", "--config", _pair.Config, "--quick", "--configs", "static-small,static-large,aio", "--scenario", "a",
            "--requests", "1", "--scenario-requests", "1", "--long-requests", "1", "--repetitions", "1", "--warmup", "0", "--probe-requests", "0",
            "--max-tokens", "2", "--out", output);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"wrote {Path.Combine(output, "results.json")}, report.md, pareto.svg and pareto.png", stdout);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var runs = results.RootElement.GetProperty("runs").EnumerateArray()
            .Select(r => (Workload: r.GetProperty("workload").GetString()!, Config: r.GetProperty("config").GetString()!)).ToList();
        Assert.Equal(["A", "code", "long", "math", "qa"], runs.Select(r => r.Workload).Distinct().Order(StringComparer.Ordinal));
        Assert.All(runs.GroupBy(r => r.Workload), workload =>
            Assert.Superset(new HashSet<string> { "static-small", "static-large", "aio" }, workload.Select(r => r.Config).ToHashSet()));
        Assert.DoesNotContain(runs, r => r.Config is "draft-spec" or "oracle" or "small-quant");
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
    }

    [Fact]
    public void Engine_DecodeOfOneBundle_PrintsOneRowPerStrategyAsJson()
    {
        var (exit, stdout, stderr) = AioConsole.Run("bench", "engine", "--small", _pair.Small, "--no-overhead", "--suites", "math",
            "--requests", "2", "--max-new-tokens", "3", "--json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var decode = report.RootElement.GetProperty("decode").EnumerateArray().ToList();
        Assert.Equal(["plain", "pld"], decode.Select(d => d.GetProperty("strategy").GetString()));
        Assert.All(decode, d =>
        {
            Assert.Equal(("small", "math", 2), (d.GetProperty("model").GetString(), d.GetProperty("suite").GetString(), d.GetProperty("requests").GetInt32()));
            Assert.InRange(d.GetProperty("generated_tokens").GetInt32(), 2, 6); // each request makes 1 to 3 tokens
        });
        Assert.Empty(report.RootElement.GetProperty("overhead").EnumerateArray());
        Assert.StartsWith("aio bench engine --small ", report.RootElement.GetProperty("command").GetString());
    }

    [Fact]
    public void Serve_OneRound_SendsTheBurstToTheBatchedAndUnbatchedServer()
    {
        var json = Path.Combine(_pair.Root, "burst.json");

        var (exit, stdout, stderr) = AioConsole.Run("bench", "serve", "--config", _pair.Config, "--requests", "2", "--rounds", "1",
            "--max-new-tokens", "2", "--model", TinyPair.LargeName, "--json", json, "--limits:concurrentSequences=1");

        Assert.True(exit == 0, stderr);
        Assert.Contains("## Burst of 2 requests against aio serve (concurrentSequences 1, queue", stdout);
        using var burst = JsonDocument.Parse(File.ReadAllText(json));
        var sides = burst.RootElement.EnumerateArray().ToList();
        Assert.Equal(["batched", "unbatched"], sides.Select(s => s.GetProperty("side").GetString()));
        Assert.All(sides, s =>
        {
            var result = s.GetProperty("result");
            Assert.Equal(2, result.GetProperty("Requests").GetInt32());
            Assert.Equal(2, result.GetProperty("Statuses").GetProperty("200").GetInt32());
        });
    }

    [Fact]
    public void Storm_OneRound_RunsTheCapacityAndTheStormWindow_AndCountsTheRefusals()
    {
        var json = Path.Combine(_pair.Root, "storm.json");

        // Capacity 1 + 1 = 2 clients; 4 in the storm, refused at once (no admission wait), so 429s must be counted. The
        // tiny model reads bytes: the code prompts (under 250 bytes) need a prompt limit above the pair's 100.
        var (exit, stdout, stderr) = AioConsole.Run("bench", "storm", "--config", _pair.Config, "--clients", "4", "--seconds", "1", "--rounds", "1",
            "--max-new-tokens", "2", "--model", TinyPair.LargeName, "--json", json,
            "--limits:concurrentSequences=1", "--limits:queueLength=1", "--limits:admissionWaitMs=0", "--limits:maxPromptTokens=250");

        Assert.True(exit == 0, stderr);
        Assert.Contains("## Storm of 4 clients retrying 429 at once against the capacity (2 clients: concurrentSequences 1 + queue 1)", stdout);
        Assert.Contains("Served tokens/s, storm ÷ capacity (paired by round): ×", stdout);
        using var storm = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal((2, 4), (storm.RootElement.GetProperty("capacity").GetInt32(), storm.RootElement.GetProperty("storm").GetInt32()));
        var windows = storm.RootElement.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal([2, 4], windows.Select(w => w.GetProperty("Clients").GetInt32()));
        Assert.All(windows, w =>
        {
            Assert.True(w.GetProperty("ServedPerSecond").GetDouble() > 0);
            Assert.Empty(w.GetProperty("OtherStatuses").EnumerateObject());
        });
        Assert.Equal(0, windows[0].GetProperty("RejectedPerSecond").GetDouble());
        Assert.True(windows[1].GetProperty("RejectedPerSecond").GetDouble() > 0);
    }
}
