using System.CommandLine;
using System.Diagnostics;
using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Export.Onnx;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio demo`: the device smoke run. Writes a MatMul+Add graph, loads and executes it through AscendCL,
/// checks the result against the host, and prints device memory, execute overhead and copy bandwidth.
/// </summary>
internal sealed class DemoCommand : IDeclaredCommand
{
    private static readonly Option<int?> Iterations = OptionRules.Range(new Option<int?>("--iterations")
    {
        Description = "executes timed for the execute-overhead figure [default: 2000]",
        HelpName = "N",
    }, 10, int.MaxValue);

    public string Name => "demo";

    public string Summary => "device smoke run: load a graph, execute it, print results, memory and timings";

    public void Declare(Command command) => command.Options.Add(Iterations);

    public int Run(ParseResult parse)
    {
        var iterations = parse.GetValue(Iterations) ?? 2000;
        var dir = Directory.CreateTempSubdirectory("aio-demo-").FullName;
        try
        {
            AclLibrary.Resolved += choice => Console.WriteLine(choice);
            using var device = Device.Open();
            var idle = device.GetMemoryInfo();
            Console.WriteLine($"devices: {Device.Count()}  soc: {Nonempty(device.SocName)}  memory: {Mib(idle.Free)} free of {Mib(idle.Total)} MiB");

            RunLinear(device, dir);
            MeasureExecuteOverhead(device, dir, iterations);
            MeasureCopyBandwidth(device);

            var end = device.GetMemoryInfo();
            Console.WriteLine($"memory after releasing everything: {Mib(end.Free)} MiB free ({(end.Free == idle.Free ? "back to" : "NOT back to")} the starting value)");
            return end.Free == idle.Free ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void RunLinear(Device device, string dir)
    {
        const int rows = 64, inFeatures = 512, outFeatures = 512;
        var random = new Random(1);
        var weight = new float[inFeatures, outFeatures];
        for (var i = 0; i < inFeatures; i++)
            for (var o = 0; o < outFeatures; o++)
                weight[i, o] = (float)(random.NextDouble() - 0.5) * 0.1f;
        var bias = Enumerable.Range(0, outFeatures).Select(o => o * 0.001f).ToArray();
        var x = Enumerable.Range(0, rows * inFeatures).Select(_ => (float)random.NextDouble()).ToArray();
        var path = Path.Combine(dir, "linear.onnx");
        var bytes = LinearGraph.Write(path, rows, weight, bias);

        var before = device.GetMemoryInfo();
        using var graph = Graph.Load(device, path);
        var loaded = device.GetMemoryInfo();
        Console.WriteLine($"loaded {graph} ({bytes / 1024} KiB): device memory used by the graph {Kib(before.Free - loaded.Free)} KiB");
        foreach (var t in graph.Inputs)
            Console.WriteLine($"  input  {t}");
        foreach (var t in graph.Outputs)
            Console.WriteLine($"  output {t}");

        graph.InputBuffer(0).Write<float>(x);
        var clock = Stopwatch.StartNew();
        graph.Execute();
        var ms = clock.Elapsed.TotalMilliseconds;
        var y = graph.OutputBuffer(0).ToArray<float>();
        var expected = LinearGraph.Compute(x, rows, weight, bias);
        var maxError = y.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine($"executed y = x·W + b ({rows}×{inFeatures} · {inFeatures}×{outFeatures}) in {ms:F2} ms; y[0..4] = {string.Join(", ", y[..4].Select(v => v.ToString("F4")))}; max |device − host| = {maxError:E2}");
    }

    private static void MeasureExecuteOverhead(Device device, string dir, int iterations)
    {
        var path = Path.Combine(dir, "trivial.onnx");
        LinearGraph.Write(path, 1, new float[1, 1] { { 1f } }, [0f]);
        using var graph = Graph.Load(device, path);
        graph.InputBuffer(0).Write<float>([2f]);
        for (var i = 0; i < 100; i++)
            graph.Execute();
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            graph.Execute();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(samples);
        Console.WriteLine($"aclmdlExecute on a 1-element MatMul+Add graph: median {samples[iterations / 2]:F1} µs, p90 {samples[iterations * 9 / 10]:F1} µs over {iterations} calls");
    }

    private static void MeasureCopyBandwidth(Device device)
    {
        const long size = 64L << 20;
        var host = new byte[size];
        Random.Shared.NextBytes(host);
        using var a = device.Allocate(size);
        using var b = device.Allocate(size);
        double Rate(Action copy)
        {
            copy();
            var best = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var start = Stopwatch.GetTimestamp();
                copy();
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            return size / best / 1e9;
        }
        var h2d = Rate(() => a.Write<byte>(host));
        var d2h = Rate(() => a.Read<byte>(host));
        var d2d = Rate(() => b.CopyFrom(a, 0, 0, size));
        Console.WriteLine($"aclrtMemcpy 64 MiB (best of 5): host→device {h2d:F1} GB/s, device→host {d2h:F1} GB/s, device→device {d2d:F1} GB/s");
    }

    private static string Nonempty(string s) => string.IsNullOrEmpty(s) ? "(none)" : s;

    private static long Mib(long bytes) => bytes >> 20;

    private static long Kib(long bytes) => bytes >> 10;
}
