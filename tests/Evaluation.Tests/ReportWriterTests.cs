using AscendAio.Evaluation;

namespace AscendAio.Evaluation.Tests;

public class ReportWriterTests
{
    private static RunResult Run(string config, string workload, int moved, double smallShare = 0.5) => new()
    {
        Config = config,
        Workload = workload,
        Requests = 24,
        Accuracy = 0.75,
        Tps = 91.1,
        LatencyMsMean = 10,
        LatencyMsP95 = 20,
        Share = new Dictionary<string, double> { ["mini"] = smallShare, ["maxi"] = 1 - smallShare },
        SmallShare = smallShare,
        GeneratedTokens = 100,
        WallSeconds = 1,
        WeightBytesPerToken = 1e6,
        MovedToLargeForContext = moved,
    };

    private static BenchResults Results(params RunResult[] runs) => new()
    {
        Machine = new MachineInfo("test", 2, "CPU device", "libacl_cpu.so"),
        Models = [],
        Settings = new BenchSettings(24, 96, 1, 1234, false, "tokens ÷ wall"),
        Runs = runs,
    };

    [Fact]
    public void Table_MarksCellsWhereRequestsMovedToLargeForContext_AndExplainsTheMark()
    {
        var report = ReportWriter.Markdown(Results(Run("static-small", "long", 12), Run("static-large", "long", 0)));

        Assert.Contains("| static-small | 75 % / 91.1 †12 |", report);
        Assert.Contains("| static-large | 75 % / 91.1 |", report);
        Assert.Contains("† n: n of the cell's requests were over the chosen model's context", report);
    }

    [Fact]
    public void ScenarioDetail_ReportsTheSmallShareWhateverTheModelsAreCalled()
    {
        var report = ReportWriter.Markdown(Results(Run("aio", "A", 0, smallShare: 0.25), Run("static-large", "A", 0, smallShare: 0)));

        Assert.Contains("| A | aio | 75.0 % | 91.1 | 10 | 20 | 25 % / 75 % |", report);
        Assert.Contains("| A | static-large | 75.0 % | 91.1 | 10 | 20 | 0 % / 100 % |", report);
    }

    [Fact]
    public void Table_WithoutMovedRequests_HasNoMarkOrNote()
    {
        var report = ReportWriter.Markdown(Results(Run("static-small", "code", 0), Run("static-large", "code", 0)));

        Assert.DoesNotContain("†", report);
    }

    [Theory]
    [InlineData(3, "3 repetitions: [min, max], 75 % coverage")]
    [InlineData(5, "5 repetitions: [min, max], 93.75 % coverage")]
    [InlineData(9, "9 repetitions: [x(2), x(8)] of the sorted values, 96.09 % coverage")]
    public void HowMeasured_StatesTheRunsRepetitionCountAndItsInterval(int repetitions, string expected)
    {
        var results = Results(Run("static-small", "code", 0)) with
        {
            Settings = new BenchSettings(24, 96, 1, 1234, false, "tokens ÷ wall", repetitions),
        };

        var text = ReportWriter.HowMeasured(results);

        Assert.Contains($"{repetitions} timed repetitions", text);
        Assert.Contains(expected, text);
    }
}
