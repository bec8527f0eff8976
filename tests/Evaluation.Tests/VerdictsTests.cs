using AscendAio.Evaluation.Statistics;
using AscendAio.Router;

namespace AscendAio.Evaluation.Tests;

public class VerdictsTests
{
    // 40 requests; `correct` of them right, the first ones; every request routed `route`.
    private static RunResult Cell(string config, string workload, double[] tps, int correct, string route = "large/plain", int n = 40, double latencyMs = 10) => new()
    {
        Config = config,
        Workload = workload,
        Requests = n,
        Accuracy = (double)correct / n,
        Tps = BenchStatistics.Median(tps),
        LatencyMsMean = latencyMs,
        LatencyMsP95 = latencyMs,
        Share = new Dictionary<string, double> { ["mini"] = 0, ["maxi"] = 1 },
        GeneratedTokens = 100,
        WallSeconds = 1,
        WeightBytesPerToken = 1,
        Repetitions = tps.Length,
        TpsPerRepetition = tps,
        TpsInterval = BenchStatistics.MedianInterval(tps),
        PerRequest = Enumerable.Range(0, n).Select(i => new RequestOutcome($"r{i}", "code", i < correct, 10, latencyMs, route)).ToList(),
    };

    private static BenchResults Results(params RunResult[] runs) => new()
    {
        Machine = new MachineInfo("test", 2, "CPU device", "libacl_cpu.so"),
        Models = [],
        Settings = new BenchSettings(40, 96, 1, 1234, false, "tokens ÷ wall", 5, 40),
        Runs = runs,
    };

    private static readonly double[] Steady = [100, 101, 99, 100, 102];

    [Fact]
    public void Aio_FasterInEveryRepetition_AtEqualAccuracy_BeatsStaticLarge()
    {
        var results = Results(Cell("aio", "A", [150, 160, 140, 155, 150], 30, "small/plain"), Cell("static-large", "A", Steady, 30),
            Cell("static-small", "A", [300, 300, 300, 300, 300], 20, "small/plain"),
            Cell("static-small-twin", "A", [301, 299, 300, 302, 298], 20, "small/plain"));

        var line = Assert.Single(Verdicts.Lines(results));

        Assert.Contains("aio beats static-large (faster, no significant accuracy loss)", line);
        Assert.Contains("beats static-small on accuracy", line); // 10 discordant pairs, all aio's: p = 2/1024
    }

    [Fact]
    public void Aio_WhoseTpsRatioHoldsOne_ShowsNoSignificantDifference()
    {
        var results = Results(Cell("aio", "B", [90, 110, 100, 105, 95], 30, "small/plain"), Cell("static-large", "B", Steady, 30),
            Cell("static-small", "B", Steady, 29, "small/plain"));

        var line = Assert.Single(Verdicts.Lines(results));

        Assert.Contains("shows no significant difference from static-large in TPS", line);
        Assert.Contains("no significant accuracy difference from static-small", line); // 1 discordant pair
    }

    [Fact]
    public void FailedPlacebo_WithholdsTheVerdicts()
    {
        // The twin of static-small is 20 % slower in every repetition though it routes alike: noise, not a difference.
        var results = Results(Cell("aio", "A", [150, 160, 140, 155, 150], 30, "small/plain"), Cell("static-large", "A", Steady, 30),
            Cell("static-small", "A", [300, 300, 300, 300, 300], 20, "small/plain"),
            Cell("static-small-twin", "A", [240, 240, 241, 239, 240], 20, "small/plain"));

        var placebo = Assert.Single(Verdicts.Placebos(results));
        Assert.False(placebo.Passed);
        Assert.Contains("verdict withheld", Assert.Single(Verdicts.Lines(results)));
        Assert.Contains("the verdicts are withheld", ReportWriter.Markdown(results));
    }

    [Fact]
    public void Placebos_PairAioWithNoEntropy_OnlyWhereTheyRoutedAlike()
    {
        var alike = Results(Cell("aio", "A", Steady, 30, "small/plain"), Cell("aio-no-entropy", "A", Steady, 30, "small/plain"));
        var unlike = Results(Cell("aio", "A", Steady, 30, "small/plain"), Cell("aio-no-entropy", "A", Steady, 30, "large/plain"));

        var placebo = Assert.Single(Verdicts.Placebos(alike));
        Assert.Equal(("aio", "aio-no-entropy"), (placebo.A, placebo.B));
        Assert.True(placebo.Passed);
        Assert.Empty(Verdicts.Placebos(unlike));
    }

    [Fact]
    public void TheoreticalRow_TakesEachRequestsFastestCorrectChoice()
    {
        // static-small is right on the first 10 at 5 ms; static-large on the first 30 at 20 ms; the PLD cells never.
        var runs = new[]
        {
            Cell("static-small", "A", Steady, 10, "small/plain", latencyMs: 5), Cell("static-large", "A", Steady, 30, latencyMs: 20),
            Cell("small-pld", "A", Steady, 0, "small/pld", latencyMs: 4), Cell("large-pld", "A", Steady, 0, "large/pld", latencyMs: 30),
        };
        var names = new ModelNames([KeyValuePair.Create(ModelRole.Small, "mini"), KeyValuePair.Create(ModelRole.Large, "maxi")]);

        var row = TheoreticalRow.Of("A", runs, names)!;

        Assert.Equal(0.75, row.Accuracy); // any choice right: the first 30
        Assert.Equal(0.5, row.SmallShare); // 10 on small (right, 5 ms) + 10 wrong everywhere, fastest on small-pld (4 ms)
        var expectedSeconds = (10 * 5 + 20 * 20 + 10 * 4) / 1000.0;
        Assert.Equal(400 / expectedSeconds, row.Tps, 9);
        Assert.Null(TheoreticalRow.Of("A", runs[..3], names)); // a choice missing: no row
    }
}
