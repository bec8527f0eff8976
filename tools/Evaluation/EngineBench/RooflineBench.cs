using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>Decode throughput of the memory-bound model against the bandwidth ceiling.</summary>
public sealed record RooflineResult(
    string Bundle,
    long WeightBytes,
    long KvWindowBytes,
    long BytesPerToken,
    int Threads,
    double LoadSeconds,
    long RssBeforeLoadBytes,
    long RssAfterLoadBytes,
    long DeviceBytesAfterLoad,
    int Graphs,
    int StepsPerRound,
    double[] RoundTokensPerSecond,
    double[] RoundReadGBps,
    double TokensPerSecond,
    double MedianStepMs,
    BandwidthResult ReadBandwidth,
    BandwidthResult CopyBandwidth)
{
    /// <summary>Per round: decode traffic (TPS × bytes/token) ÷ the best read pass taken just before that round.</summary>
    public double[] RoundFractions => RoundTokensPerSecond.Zip(RoundReadGBps, (t, b) => t * BytesPerToken / (b * 1e9)).ToArray();

    /// <summary>The median of <see cref="RoundFractions"/>: the reported roofline fraction.</summary>
    public double Fraction => RoundFractions.Order().ElementAt(RoundFractions.Length / 2);

    /// <summary>Median TPS against the best read pass of the whole run (the most pessimistic view).</summary>
    public double FractionOfBestBandwidth => TokensPerSecond * BytesPerToken / (ReadBandwidth.BestGBps * 1e9);
}

/// <summary>
/// Loads only the greedy graphs of one gear, prefills a few tokens and times single-token decode steps
/// (Sequence.Decode: the engine's plain step without the session bookkeeping). One token streams every weight once
/// plus the gear's KV window; that over the read-only bandwidth gives the ceiling the measured TPS is held against.
/// </summary>
public static class RooflineBench
{
    public static RooflineResult Run(string bundleDirectory, int? window, int stepsPerRound, int rounds, Action<string> progress)
    {
        var threads = CpuDeviceThreads();
        using var device = Device.Open();
        var bundle = ModelBundle.Load(bundleDirectory);
        var gear = window ?? bundle.Manifest.Gears.Min();
        if (!bundle.Manifest.Gears.Contains(gear))
            throw new ArgumentException($"window {gear} is not a gear of the bundle ({string.Join(", ", bundle.Manifest.Gears)})");
        if (8 + 3 + stepsPerRound * rounds > gear)
            throw new ArgumentException($"{rounds} rounds of {stepsPerRound} steps do not fit window {gear}");

        var rssBefore = ProcessMemory.ResidentBytes();
        var freeBefore = device.GetMemoryInfo().Free;
        var start = Stopwatch.GetTimestamp();
        using var model = LanguageModel.Load(device, bundle, new LanguageModelOptions { MaxIdleCaches = 1 });
        var loadSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var rssAfter = ProcessMemory.ResidentBytes();
        var deviceBytes = freeBefore - device.GetMemoryInfo().Free;
        const int graphs = 1;
        progress($"roofline: loaded the graph ({bundle.Manifest.Graph.Profiles.Count} profiles) in {loadSeconds:F1} s; RSS {rssBefore / 1e9:F2} -> {rssAfter / 1e9:F2} GB; device memory charged {deviceBytes / 1e9:F2} GB");

        using var probe = new ReadBandwidthProbe(1L << 30, threads);
        using var sequence = model.CreateSequence();
        sequence.Reserve(gear);   // every step attends over the whole window of this gear
        var token = sequence.Prefill([0, 20, 21, 22, 23, 24, 25, 26]);
        for (var i = 0; i < 3; i++)
            token = sequence.Decode(token);
        var stepMs = new List<double>();
        var readGBps = new List<double>();
        var roundTps = new double[rounds];
        var roundRead = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            // Bandwidth right before each round, so a busy neighbour slows both sides of the ratio alike.
            var passes = Enumerable.Range(0, 3).Select(_ => probe.Measure()).ToList();
            readGBps.AddRange(passes);
            roundRead[r] = passes.Max();
            var roundStart = Stopwatch.GetTimestamp();
            for (var i = 0; i < stepsPerRound; i++)
            {
                var stepStart = Stopwatch.GetTimestamp();
                token = sequence.Decode(token);
                stepMs.Add(Stopwatch.GetElapsedTime(stepStart).TotalMilliseconds);
            }
            roundTps[r] = stepsPerRound / Stopwatch.GetElapsedTime(roundStart).TotalSeconds;
            progress($"roofline: round {r + 1}/{rounds}: read {roundRead[r]:F1} GB/s, decode {roundTps[r]:F2} tokens/s, fraction {roundTps[r] * (model.WeightBytes + bundle.Manifest.KvLayout.BytesFor(gear)) / (roundRead[r] * 1e9):F2}");
        }
        stepMs.Sort();
        var sortedRounds = roundTps.Order().ToArray();
        var copy = DeviceCopyBandwidth.Measure(device, 512L << 20, passes: 3);
        var kvWindow = bundle.Manifest.KvLayout.BytesFor(gear);
        return new RooflineResult(bundleDirectory, model.WeightBytes, kvWindow, model.WeightBytes + kvWindow, threads, loadSeconds,
            rssBefore, rssAfter, deviceBytes, graphs, stepsPerRound, roundTps, roundRead, sortedRounds[rounds / 2], stepMs[stepMs.Count / 2],
            BandwidthResult.From(ReadBandwidthProbe.Kernel, probe.Bytes, threads, readGBps), copy);
    }

    /// <summary>The CPU device's intra-op threads: AIO_CPU_THREADS, else the core count (see native/acl-cpu/README.md).</summary>
    public static int CpuDeviceThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("AIO_CPU_THREADS"), out var n) && n > 0 ? n : Environment.ProcessorCount;
}

/// <summary>Resident set size of this process, from /proc/self/status (VmRSS), or the runtime's working set elsewhere.</summary>
public static class ProcessMemory
{
    public static long ResidentBytes()
    {
        const string path = "/proc/self/status";
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
            }
        }
        return Environment.WorkingSet;
    }
}
