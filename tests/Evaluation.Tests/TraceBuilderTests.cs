using AscendAio.Evaluation;
using AscendAio.Tasks;

namespace AscendAio.Evaluation.Tests;

public class TraceBuilderTests
{
    private static readonly IReadOnlyDictionary<(string, string), IReadOnlyList<TaskItem>> Suites =
        new SuiteGenerator(seed: 5, SuiteSizes.Default).GenerateAll();

    private static IReadOnlyList<TaskItem> Test(string family) => Suites[(family, Splits.Test)];

    [Theory]
    [InlineData("A", 100, new[] { 70, 20, 10 })]
    [InlineData("B", 100, new[] { 30, 40, 30 })]
    [InlineData("C", 60, new[] { 30, 30 })]
    [InlineData("A", 7, new[] { 5, 1, 1 })]
    public void Trace_MatchesTheScenarioMix(string scenario, int requests, int[] expected)
    {
        var workload = Workload.Parse(scenario);

        var trace = TraceBuilder.Build(workload, requests, seed: 1, Test);

        Assert.Equal(requests, trace.Count);
        var counts = workload.Slices.Select(s => trace.Count(t => t.Family == s.Family && (s.Category is null || t.Category == s.Category))).ToArray();
        Assert.Equal(expected, counts);
        Assert.Equal(trace.Count, trace.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void ScenarioC_LongSlice_IsLongContextCode()
    {
        var trace = TraceBuilder.Build(Workload.ScenarioC, 40, seed: 2, Test);

        var longItems = trace.Where(t => t.Family == TaskFamilies.Long).ToList();
        Assert.Equal(20, longItems.Count);
        Assert.All(longItems, t => Assert.Equal(TaskFamilies.Code, t.Category));
    }

    [Fact]
    public void Trace_IsInterleavedAndReproducibleBySeed()
    {
        var first = TraceBuilder.Build(Workload.ScenarioB, 60, seed: 3, Test).Select(t => t.Id).ToList();
        var again = TraceBuilder.Build(Workload.ScenarioB, 60, seed: 3, Test).Select(t => t.Id).ToList();
        var other = TraceBuilder.Build(Workload.ScenarioB, 60, seed: 4, Test).Select(t => t.Id).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Interleaved: the first third is not all one family.
        Assert.True(first.Take(20).Select(id => id.Split('-')[0]).Distinct().Count() > 1);
    }

    [Theory]
    [InlineData(new[] { 0.7, 0.2, 0.1 }, 13)]
    [InlineData(new[] { 0.5, 0.5 }, 3)]
    [InlineData(new[] { 1.0 }, 9)]
    public void Apportion_SumsToTheTotal(double[] shares, int total)
    {
        var counts = TraceBuilder.Apportion(shares, total);

        Assert.Equal(total, counts.Sum());
        for (var i = 0; i < shares.Length; i++)
            Assert.InRange(counts[i], Math.Floor(shares[i] * total), Math.Ceiling(shares[i] * total));
    }

    [Fact]
    public void UnknownWorkload_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => Workload.Parse("Z"));

        Assert.Contains("A, B, C", error.Message);
    }
}
