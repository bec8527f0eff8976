using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;

namespace AscendAio.Cli.EngineBench;

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
    double BareExecuteMedianUs)
{
    /// <summary>Method B: unprofiled step median minus the median of a bare Graph.Execute loop of the same graph.</summary>
    public double OverheadByDifferenceUs => UnprofiledMedianStepUs - BareExecuteMedianUs;
}

/// <summary>
/// Host overhead per decode step = step wall time − device execute time.
/// A: each GenerationSession.Step() is timed with a Stopwatch while the device profiler records every aclmdlExecute
///    and aclrtMemcpy; the k-th timed step is paired with the k-th decode execute of that generation, so the overhead
///    is per step (median reported). The trace also splits the overhead into device copies (token/pos upload, id
///    read-back, KV commit) and the rest (managed engine code, P/Invoke, the CPU device's own bookkeeping).
/// B: the same steps without the profiler, against a bare loop of Graph.Execute over the same decode graph file with
///    bound buffers; the difference of the two medians cross-checks A (no per-step pairing, no profiler cost).
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
        progress($"overhead {model.Name}: {stepUs.Count} profiled steps, median step {Median(stepUs):F0} us, execute {Median(executeUs):F0} us");

        var unprofiled = new List<double>();
        for (var g = 0; unprofiled.Count < steps; g++)
            RunSession(model, prompts[g % prompts.Length], options, unprofiled);
        var bare = BareExecute(model, Path.Combine(model.Bundle.Directory, graph), Math.Max(steps, 100));
        return new StepOverheadResult(model.Name, stepUs.Count, Median(stepUs), Median(executeUs), Median(overhead), Percentile(overhead, 0.1),
            Percentile(overhead, 0.9), Median(copyUs), Median(overhead) - Median(copyUs), graph, Median(unprofiled), Median(bare));
    }

    /// <summary>Runs one greedy generation; appends the wall time (µs) of each step that did device work to <paramref name="timed"/>.</summary>
    private static void RunSession(LanguageModel model, int[] prompt, GenerationOptions options, List<double>? timed)
    {
        using var session = GenerationSession.Start(model, prompt, options);
        session.Step();   // hands out the prefill's token: no device work
        // Every later step of plain greedy decoding runs exactly one decode graph.
        while (session.Finish is null)
        {
            var start = Stopwatch.GetTimestamp();
            session.Step();
            timed?.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    }

    /// <summary>Median µs of Graph.Execute on a separately loaded copy of the decode graph, inputs bound once.</summary>
    private static List<double> BareExecute(LanguageModel model, string graphFile, int calls)
    {
        using var graph = Graph.Load(model.Device, graphFile);
        var kvIndex = graph.InputIndex("kv");
        using var kv = model.Device.Allocate(graph.Inputs[kvIndex].ByteSize);
        kv.Fill(0);
        graph.BindInput(kvIndex, kv, 0, kv.Size);
        graph.InputBuffer(graph.InputIndex("tokens")).Write<long>([20]);
        graph.InputBuffer(graph.InputIndex("pos")).Write<long>([16]);
        for (var i = 0; i < 10; i++)
            graph.Execute();
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            graph.Execute();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return times;
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

    internal static double Median(List<double> values) => Percentile(values, 0.5);

    internal static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(fraction * (sorted.Count - 1))];
    }
}
