using System.Text.Json;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation;
using AscendAio.Export;
using AscendAio.Export.Graphs;
using AscendAio.Router;
using AscendAio.Tasks;
using AscendAio.TestSupport;

namespace AscendAio.Evaluation.Tests;

/// <summary>A --quick bench over tiny random models: every configuration runs and results.json is well-formed.</summary>
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
            var options = new BenchOptions { Quick = true, Requests = 3, MaxTokens = 4, ProbeRequests = 6 };
            var machine = new MachineInfo("test", 2, "cpu", "libacl_cpu.so");

            var (results, _) = new MixedWorkloadBench(models, suites).Run(options, machine, []);
            var path = Path.Combine(_root, "results.json");
            results.Save(path);

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
            var workloads = new[] { "code", "qa", "math", "long", "A", "B", "C" };
            foreach (var config in BenchOptions.AllConfigs)
            {
                foreach (var workload in workloads)
                    Assert.Contains(runs, r => r.GetProperty("config").GetString() == config && r.GetProperty("workload").GetString() == workload);
            }
            Assert.Equal(BenchOptions.AllConfigs.Length * workloads.Length, runs.Count);
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
            var report = ReportWriter.Markdown(BenchResults.Load(path));
            Assert.Contains("Table 4", report);
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
}
