using AscendAio.Router.Policies;

namespace AscendAio.Evaluation.Tests;

public class ErrorPenaltyEstimateTests
{
    private static readonly string[] Labels = ["code", "qa", "math"];

    /// <summary>A per-task cell whose requests of <paramref name="category"/> are all right or all wrong.</summary>
    private static RunResult Cell(string config, string workload, string category, bool correct) => new()
    {
        Config = config,
        Workload = workload,
        Requests = 4,
        Accuracy = correct ? 1 : 0,
        Tps = 100,
        LatencyMsMean = 10,
        LatencyMsP95 = 10,
        Share = new Dictionary<string, double>(),
        SmallShare = 0,
        GeneratedTokens = 40,
        WallSeconds = 0.4,
        WeightBytesPerToken = 0,
        PerRequest = Enumerable.Range(0, 4).Select(i => new RequestOutcome($"{workload}-test-{i:D5}", category, correct, 10, 10, "x")).ToList(),
    };

    private static ConfusionMatrix Matrix(int[][] counts) => new(Labels, counts);

    [Fact]
    public void LongSlices_ReadTheProbesConfusionOnLongPrompts()
    {
        // Scenario C: long code and short qa. Long code is wrong on the small model (static-small) and right on the
        // large one with PLD (where the rules send a request predicted qa); qa is right on large-pld.
        var results = new BenchResults
        {
            Machine = new MachineInfo("test", 2, "cpu", "lib"),
            Models = [],
            Settings = new BenchSettings(4, 96, 1, 1234, false, "tokens ÷ wall"),
            Runs =
            [
                Cell("static-small", "long", "code", correct: false), Cell("large-pld", "long", "code", correct: true),
                Cell("large-pld", "qa", "qa", correct: true), Cell("aio", "C", "code", correct: true),
            ],
        };
        var shortConfusion = Matrix([[10, 0, 0], [0, 10, 0], [0, 0, 10]]);
        var longConfusion = Matrix([[0, 10, 0], [0, 10, 0], [0, 0, 0]]); // long code read as qa

        var withShortOnly = Assert.Single(ErrorPenaltyEstimate.PerScenario(results, shortConfusion, PolicyOptions.Default));
        var withLong = Assert.Single(ErrorPenaltyEstimate.PerScenario(results, shortConfusion, PolicyOptions.Default, longConfusion));

        Assert.Equal("C", withLong.Workload);
        Assert.Equal(0.5, withShortOnly.ExpectedAccuracy, 9); // long code predicted code → static-small: wrong
        Assert.Equal(1.0, withLong.ExpectedAccuracy, 9);      // long code predicted qa → large-pld: right
        Assert.Equal(withShortOnly.OracleAccuracy, withLong.OracleAccuracy, 9);
    }
}
