using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>Host overhead of plain greedy decode steps on one model, measured two ways (µs).</summary>
public sealed record StepOverheadResult(
    string Model,
    int Steps,
    double MedianStepUs,
    double MedianExecuteUs,
    double MedianOverheadUs,
    double P10OverheadUs,
    double P90OverheadUs,
    double MedianCopyUs,
    double MedianHostCodeUs,
    string DecodeGraph,
    double UnprofiledMedianStepUs,
    double BareExecuteMedianUs,
    double OverheadByDifferenceUs);

/// <summary>
/// Host overhead per decode step = step wall time − device execute time.
/// A: each GenerationSession.Step() is timed with a Stopwatch while the device profiler records every aclmdlExecute
///    and aclrtMemcpy; the k-th timed step is paired with the k-th decode execute of that generation, so the overhead
///    is per step (median reported). The trace also splits the overhead into device copies (token/pos upload, id
///    read-back, KV commit) and the rest (managed engine code, P/Invoke, the CPU device's own bookkeeping).
/// B: the same steps without the profiler, each followed by one bare Graph.Execute of a separately loaded copy of the
///    same decode graph file (inputs bound once, no copies, no engine code); the median of the per-step differences
///    cross-checks A without the profiler's own cost. Pairing each step with the execute right after it keeps a busy
///    neighbour (other jobs on the machine) from landing on one side only.
/// </summary>
public static class StepOverheadBench
{
    public static StepOverheadResult Run(LanguageModel model, int steps, Action<string> progress)
    {
        var prompts = Prompts(model);
        var options = new GenerationOptions { MaxNewTokens = Math.Min(96, model.ContextLimit - prompts.Max(p => p.Length) - 1) };
        RunSession(model, prompts[0], options, null);   // warm-up: JIT, caches, ORT arenas

        var stepUs = new List<double>();
        var executeUs = new List<double>();
        var copyUs = new List<double>();
        var graphUse = new Dictionary<string, int>();
        var root = Path.Combine(Path.GetTempPath(), $"aio-bench-overhead-{Environment.ProcessId}");
        try
        {
            for (var g = 0; stepUs.Count < steps; g++)
            {
                if (g > steps)
                    throw new InvalidOperationException($"{model.Name}: generations end before producing {steps} decode steps");
                var directory = Path.Combine(root, g.ToString());
                var timed = new List<double>();
                using (DeviceProfiler.Start(model.Device, directory))
                    RunSession(model, prompts[g % prompts.Length], options, timed);
                var spans = DeviceTimeline.Read(directory);
                var executes = spans.Where(s => s.Name == "aclmdlExecute").ToList();
                // Every timed step after the first ran exactly one decode graph: the last `timed.Count` executes.
                var decodes = executes.Skip(executes.Count - timed.Count).ToList();
                if (decodes.Any(d => !Path.GetFileName(d.Model).StartsWith("decode_", StringComparison.Ordinal)))
                    throw new InvalidOperationException("a plain step ran something other than one decode graph; the pairing would be wrong");
                for (var i = 0; i < decodes.Count; i++)
                {
                    stepUs.Add(timed[i]);
                    executeUs.Add(decodes[i].Duration);
                    var file = Path.GetFileName(decodes[i].Model);
                    graphUse[file] = graphUse.GetValueOrDefault(file) + 1;
                    // Between two executes lie the previous step's trailing copies (KV commit, id read-back) and this
                    // step's leading ones (token, position): one step's worth in the steady state.
                    if (i > 0)
                        copyUs.Add(spans.Where(s => s.Name.StartsWith("aclrtMemcpy", StringComparison.Ordinal) && s.Start >= decodes[i - 1].End && s.End <= decodes[i].Start).Sum(s => s.Duration));
                }
            }
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
        }
        var overhead = stepUs.Zip(executeUs, (s, e) => s - e).ToList();
        var graph = graphUse.MaxBy(p => p.Value).Key;
        progress($"overhead {model.Name}: {stepUs.Count} profiled steps, median step {BenchStatistics.Median(stepUs):F0} us, execute {BenchStatistics.Median(executeUs):F0} us");

        var unprofiled = new List<double>();
        var bare = new List<double>();
        using (var bareGraph = BareGraph.Load(model, Path.Combine(model.Bundle.Directory, graph)))
        {
            for (var g = 0; unprofiled.Count < steps; g++)
            {
                if (g > steps)
                    throw new InvalidOperationException($"{model.Name}: generations end before producing {steps} decode steps");
                RunSession(model, prompts[g % prompts.Length], options, unprofiled, () => bare.Add(bareGraph.Execute()));
            }
        }
        var difference = unprofiled.Zip(bare, (s, b) => s - b).ToList();
        return new StepOverheadResult(model.Name, stepUs.Count, BenchStatistics.Median(stepUs), BenchStatistics.Median(executeUs), BenchStatistics.Median(overhead), BenchStatistics.Percentile(overhead, 0.1),
            BenchStatistics.Percentile(overhead, 0.9), BenchStatistics.Median(copyUs), BenchStatistics.Median(overhead) - BenchStatistics.Median(copyUs), graph, BenchStatistics.Median(unprofiled), BenchStatistics.Median(bare), BenchStatistics.Median(difference));
    }

    /// <summary>Runs one greedy generation; appends the wall time (µs) of each step that did device work to <paramref name="timed"/>.</summary>
    private static void RunSession(LanguageModel model, int[] prompt, GenerationOptions options, List<double>? timed, Action? afterStep = null)
    {
        using var session = GenerationSession.Start(model, prompt, options);
        session.Step();   // hands out the prefill's token: no device work
        // Every later step of plain greedy decoding runs exactly one decode graph.
        while (session.Finish is null)
        {
            var start = Stopwatch.GetTimestamp();
            session.Step();
            timed?.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            afterStep?.Invoke();
        }
    }

    /// <summary>A separately loaded copy of a decode graph with its inputs bound once: Execute is the device call alone.</summary>
    private sealed class BareGraph : IDisposable
    {
        private readonly Graph _graph;
        private readonly DeviceBuffer _kv;

        private BareGraph(Graph graph, DeviceBuffer kv)
        {
            _graph = graph;
            _kv = kv;
        }

        public static BareGraph Load(LanguageModel model, string graphFile)
        {
            var graph = Graph.Load(model.Device, graphFile);
            var kvIndex = graph.InputIndex("kv");
            var kv = model.Device.Allocate(graph.Inputs[kvIndex].ByteSize);
            kv.Fill(0);
            graph.BindInput(kvIndex, kv, 0, kv.Size);
            graph.InputBuffer(graph.InputIndex("tokens")).Write<long>([20]);
            graph.InputBuffer(graph.InputIndex("pos")).Write<long>([16]);
            var bare = new BareGraph(graph, kv);
            for (var i = 0; i < 5; i++)
                bare.Execute();
            return bare;
        }

        /// <summary>One execute; µs.</summary>
        public double Execute()
        {
            var start = Stopwatch.GetTimestamp();
            _graph.Execute();
            return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        public void Dispose()
        {
            _graph.Dispose();
            _kv.Dispose();
        }
    }

    /// <summary>A few generation-template prompts of ordinary text (the same for every model, so results compare).</summary>
    private static int[][] Prompts(LanguageModel model)
    {
        string[] requests =
        [
            "Write a function that returns the sum of the squares of a list of numbers.",
            "Who wrote the book about the old man and the sea, and in which year was it published?",
            "A train travels 120 km in 2 hours and then 60 km in 1 hour. What is its average speed?",
        ];
        var template = model.Manifest.Templates.Generation;
        return requests.Select(r => model.Tokenizer.Encode(ModelBundle.Apply(template, r))).ToArray();
    }
}
