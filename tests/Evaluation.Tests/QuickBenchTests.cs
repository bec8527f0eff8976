using System.Text.Json;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation;
using AscendAio.Evaluation.Statistics;
using AscendAio.Export;
using AscendAio.Export.Graphs;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;
using AscendAio.TestSupport;

namespace AscendAio.Evaluation.Tests;

/// <summary>
/// A --quick bench over tiny random models: every configuration runs with its repetitions and intervals, the placebo
/// twin routes as its configuration does, the hindsight row and the error penalty are there, and results.json is
/// well-formed.
/// </summary>
public sealed class QuickBenchTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("quick-bench");

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public void QuickRun_WritesResultsWithEveryConfiguration()
    {
        var small = TinyCheckpoint.Write(Path.Combine(_root, "small-ckpt"), new TinyCheckpointOptions { Hidden = 32, Layers = 1, Heads = 2, KvHeads = 1, MaxPositions = 256, Seed = 3 });
        var large = TinyCheckpoint.Write(Path.Combine(_root, "large-ckpt"), new TinyCheckpointOptions { Hidden = 64, Layers = 2, MaxPositions = 256, Seed = 4 });
        using var device = Device.Open();
        var loaded = new List<LanguageModel>();
        LanguageModel Load(TinyCheckpoint checkpoint, string name, QuantizationMode quant)
        {
            var dir = Path.Combine(_root, name);
            BundleExporter.Export(new ExportOptions { CheckpointDirectory = checkpoint.Directory, OutputDirectory = dir, ModelName = name, Quantization = quant, PrefillChunk = 32, Gears = [64, 256] });
            var model = LanguageModel.Load(device, ModelBundle.Load(dir));
            loaded.Add(model);
            return model;
        }
        try
        {
            var models = new RouterModels
            {
                Small = Load(small, "mini", QuantizationMode.None),
                Large = Load(large, "maxi", QuantizationMode.None),
                SmallQuant = Load(small, "mini-q", QuantizationMode.W8A16),
                LargeQuant = Load(large, "maxi-q", QuantizationMode.W8A16),
            };
            var suites = new SuiteGenerator(1).GenerateAll();
            var options = new BenchOptions { Quick = true, Requests = 3, ScenarioRequests = 5, Repetitions = 3, WarmupRequests = 1, MaxTokens = 4, ProbeRequests = 6, LongProbeRequests = 4 };
            var machine = new MachineInfo("test", 2, "cpu", "libacl_cpu.so");

            var (results, _) = new MixedWorkloadBench(models, suites).Run(options, machine, []);
            var path = Path.Combine(_root, "results.json");
            results.Save(path);

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
            var workloads = new[] { "code", "qa", "math", "long", "A", "B", "C" };
            // Every configuration runs on the short workloads but those that differ only on long prompts ("small-truncated",
            // "aio-no-long-probe"); the traces with long prompts run the long-trace list; plus the twin and the hindsight row.
            foreach (var workload in workloads)
            {
                var expected = (workload is "long" or "C" ? BenchOptions.DefaultLongTraceConfigs : BenchOptions.AllConfigs.Except(BenchOptions.LongOnlyConfigs))
                    .Append("static-small-twin").Append(TheoreticalRow.Config).Order();
                Assert.Equal(expected, runs.Where(r => r.GetProperty("workload").GetString() == workload).Select(r => r.GetProperty("config").GetString()!).Order());
            }
            foreach (var run in runs)
            {
                Assert.InRange(run.GetProperty("accuracy").GetDouble(), 0, 1);
                var shares = run.GetProperty("share").EnumerateObject().Sum(p => p.Value.GetDouble());
                Assert.Equal(1.0, shares, 9);
                Assert.True(run.GetProperty("tps").GetDouble() >= 0);
            }
            // Shares are keyed by the models' own names, and the small share counts the small roles.
            double Share(string config, string name) => results.Runs.Single(r => r.Config == config && r.Workload == "A").Share.GetValueOrDefault(name);
            Assert.Equal((1.0, 0.0), (Share("static-small", "mini"), Share("static-small", "maxi")));
            Assert.Equal((0.0, 1.0), (Share("static-large", "mini"), Share("static-large", "maxi")));
            Assert.Equal(1.0, Share("small-quant", "mini-q"));
            Assert.Equal(1.0, results.Runs.Single(r => r.Config == "small-quant" && r.Workload == "A").SmallShare);
            Assert.Equal(0.0, results.Runs.Single(r => r.Config == "large-quant" && r.Workload == "A").SmallShare);
            var aio = results.Runs.Single(r => r.Config == "aio" && r.Workload == "A");
            Assert.Equal(aio.Share["mini"], aio.SmallShare, 9);
            AssertRepetitionsAndIntervals(results, options);
            AssertLongPromptsStayOnTheSmallModelWhenTruncated(results);
            AssertNoLongProbeSkipsTheProbeOnLongPromptsOnly(results);
            Assert.NotNull(results.ProbeConfusionLong);
            AssertPlaceboAndHindsight(results);
            Assert.Equal(["A", "B", "C"], results.ErrorPenalty!.Select(r => r.Workload));
            Assert.All(results.ErrorPenalty!, r => Assert.True(r.ExpectedAccuracy is >= 0 and <= 1 && r.OracleAccuracy is >= 0 and <= 1 && r.ExpectedTps > 0));
            Assert.Equal(3, ReportWriter.Verdicts(results).Count());
            Assert.All(ReportWriter.Verdicts(results), v => Assert.Matches("withheld|static-large \\(|from static-large", v));

            var report = ReportWriter.Markdown(BenchResults.Load(path));
            Assert.Contains("Table 4", report);
            Assert.Contains("## Placebo check", report);
            Assert.Contains("## A-IO theoretical, actual and oracle", report);
            Assert.Contains("## Error penalty (§5.2)", report);
            Assert.Contains("## Context scaling (Table 1)", report);
            ParetoPlot.Save(results, ["A", "B", "C"], Path.Combine(_root, "pareto"));
            Assert.True(new FileInfo(Path.Combine(_root, "pareto.png")).Length > 0);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(_root, "pareto.svg")));
        }
        finally
        {
            foreach (var model in loaded)
                model.Dispose();
        }
    }

    private static void AssertRepetitionsAndIntervals(BenchResults results, BenchOptions options)
    {
        foreach (var run in results.Runs.Where(r => r.Derived is null))
        {
            Assert.Equal(options.Repetitions, run.Repetitions);
            Assert.Equal(options.Repetitions, run.TpsPerRepetition!.Count);
            Assert.Equal(BenchStatistics.Median(run.TpsPerRepetition), run.Tps, 9);
            Assert.True(run.TpsInterval!.Value.Contains(run.Tps), $"{run.Config} on {run.Workload}: TPS {run.Tps} outside its interval");
            Assert.Equal((run.TpsPerRepetition.Min(), run.TpsPerRepetition.Max()), (run.TpsInterval.Value.Low, run.TpsInterval.Value.High)); // 3 repetitions: [min, max]
            Assert.True(run.AccuracyInterval!.Value.Contains(run.Accuracy));
            Assert.Equal(options.RequestsFor(Workload.Parse(run.Workload)), run.PerRequest!.Count);
            Assert.Equal(run.Accuracy, run.PerRequest.Count(r => r.Correct) / (double)run.Requests, 9);
        }
        // Every cell of a workload ran the same trace, in the same order.
        foreach (var workload in results.Runs.GroupBy(r => r.Workload))
            Assert.Single(workload.Select(r => string.Join(",", r.PerRequest!.Select(x => x.Id))).Distinct());
        // random draws 50/50 whatever the policy file says; random-matched takes the share it is given.
        var policy = PolicyOptions.Default with { RandomSmallShare = 0.1 };
        var bench = new BenchOptions { Policy = policy };
        Assert.Equal(0.5, MixedWorkloadBench.PolicyOf(bench, "random", 0.7).RandomSmallShare);
        Assert.Equal(0.7, MixedWorkloadBench.PolicyOf(bench, "random-matched", 0.7).RandomSmallShare);
        Assert.Equal(0.1, MixedWorkloadBench.PolicyOf(bench, "aio", 0.7).RandomSmallShare);
    }

    private static void AssertLongPromptsStayOnTheSmallModelWhenTruncated(BenchResults results)
    {
        // The tiny small model's context (256) cannot hold a long prompt: static-small's long requests move to the large
        // model, small-truncated's stay on the small one, cut.
        var moved = results.Runs.Single(r => r.Config == "static-small" && r.Workload == "long");
        var truncated = results.Runs.Single(r => r.Config == "small-truncated" && r.Workload == "long");
        Assert.Equal(moved.Requests, moved.MovedToLargeForContext);
        Assert.Equal(0, truncated.MovedToLargeForContext);
        Assert.All(truncated.PerRequest!, r => Assert.Equal("small/plain", r.Route));
        Assert.Equal(0, truncated.Errors);
        // Table 1 reads the truncated run for the small model's long prompts.
        var small = ReportWriter.ContextScaling(results).Single(r => r.Model == "small").Cells;
        var longCells = small.Where(c => c.Column.StartsWith("long", StringComparison.Ordinal)).ToList();
        Assert.Equal(truncated.Requests, longCells.Sum(c => c.N));
        Assert.Equal(truncated.PerRequest!.Count(r => r.Correct), longCells.Where(c => c.N > 0).Sum(c => (int)Math.Round(c.Accuracy!.Value.Value * c.N)));
    }

    private static void AssertNoLongProbeSkipsTheProbeOnLongPromptsOnly(BenchResults results)
    {
        // Scenario C: long code (over the policy's 512-token limit for the small model) and short qa.
        var with = results.Runs.Single(r => r.Config == "aio" && r.Workload == "C").PerRequest!;
        var without = results.Runs.Single(r => r.Config == RoutingPolicies.AioNoLongProbe && r.Workload == "C").PerRequest!;
        Assert.Contains(without, r => r.Id.StartsWith("long-", StringComparison.Ordinal));
        Assert.Contains(without, r => !r.Id.StartsWith("long-", StringComparison.Ordinal));
        foreach (var (a, b) in with.Zip(without))
        {
            // Long: the large model with the fallback strategy (plain in the default policy), whatever the probe would say.
            if (a.Id.StartsWith("long-", StringComparison.Ordinal))
                Assert.Equal("large/plain", b.Route);
            else
                Assert.Equal(a.Route, b.Route);
        }
    }

    private static void AssertPlaceboAndHindsight(BenchResults results)
    {
        foreach (var workload in new[] { "code", "qa", "math", "long", "A", "B", "C" })
        {
            RunResult Cell(string config) => results.Runs.Single(r => r.Config == config && r.Workload == workload);
            // The twin is static-small again: the same routes and, under greedy decoding, the same outcomes.
            Assert.Equal(Cell("static-small").PerRequest!.Select(r => (r.Route, r.Correct, r.Tokens)), Cell("static-small-twin").PerRequest!.Select(r => (r.Route, r.Correct, r.Tokens)));
            Assert.Contains(Verdicts.Placebos(results), p => p.Workload == workload && p.B == "static-small-twin");
            // Hindsight: a request is right when any of the choices got it right, and never slower than the fastest right one.
            var theoretical = Cell(TheoreticalRow.Config).PerRequest!;
            var choices = TheoreticalRow.Choices.Select(c => Cell(c.Config).PerRequest!).ToList();
            for (var i = 0; i < theoretical.Count; i++)
            {
                Assert.Equal(choices.Any(c => c[i].Correct), theoretical[i].Correct);
                Assert.Equal(choices.Where(c => c[i].Correct == theoretical[i].Correct).Min(c => c[i].LatencyMs), theoretical[i].LatencyMs);
            }
            Assert.True(Cell(TheoreticalRow.Config).Accuracy >= TheoreticalRow.Choices.Max(c => Cell(c.Config).Accuracy));
        }
    }
}
