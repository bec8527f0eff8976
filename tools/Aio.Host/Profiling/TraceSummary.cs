using System.Text.Json;

namespace AscendAio.Host.Profiling;

/// <summary>
/// Where the time went in a CPU-device timeline (Chrome-trace JSON written by acl-cpu's aclprof*): per graph file
/// (aclmdlExecute*), per copy kind (aclrtMemcpy*), other AscendCL calls, and the host gaps, i.e. the time between
/// the first and the last recorded call when no AscendCL call was running (managed code: tokenizing, sampling,
/// scheduling, HTTP). msproftx ranges (the engine's probe, prefill, decode and verify spans, on their own lane)
/// are summed apart in <see cref="Ranges"/> and do not count as calls.
/// </summary>
public sealed record TraceSummary(
    double WallMs,
    double BusyMs,
    IReadOnlyList<TraceSummary.GraphTime> Graphs,
    IReadOnlyList<TraceSummary.CopyTime> Copies,
    IReadOnlyList<TraceSummary.CallTime> Calls,
    TraceSummary.Gaps HostGaps,
    IReadOnlyList<TraceSummary.CallTime> Ranges)
{
    /// <summary>Executions of one graph file ("bundle/file.onnx").</summary>
    public sealed record GraphTime(string Graph, int Calls, double TotalMs, double MeanMs, double MaxMs, int Failed);

    /// <summary>Copies of one kind (host_to_device, device_to_host, device_to_device, ...).</summary>
    public sealed record CopyTime(string Kind, int Calls, long Bytes, double TotalMs)
    {
        public double GigabytesPerSecond => TotalMs > 0 ? Bytes / (TotalMs / 1000) / 1e9 : 0;
    }

    public sealed record CallTime(string Name, int Calls, double TotalMs);

    /// <summary>Idle stretches between recorded calls: how many, their total and the longest.</summary>
    public sealed record Gaps(int Count, double TotalMs, double LargestMs);

    public const string FilePattern = "aio_timeline_*.json";

    /// <summary>The newest CPU-device timeline in <paramref name="directory"/>, or null (an NPU writes msprof data instead).</summary>
    public static string? FindTimeline(string directory) =>
        Directory.Exists(directory)
            ? new DirectoryInfo(directory).GetFiles(FilePattern).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName
            : null;

    public static TraceSummary Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var array = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("traceEvents");
        var events = new List<(string Name, double Start, double Duration, JsonElement Args)>();
        var ranges = new List<(string Name, double Duration)>();
        foreach (var e in array.EnumerateArray())
        {
            if (!e.TryGetProperty("ph", out var ph) || ph.GetString() != "X")
                continue;
            var args = e.TryGetProperty("args", out var a) ? a : default;
            var name = e.GetProperty("name").GetString() ?? "";
            if (Text(args, "msproftx") is not null)
                ranges.Add((name, e.GetProperty("dur").GetDouble()));
            else
                events.Add((name, e.GetProperty("ts").GetDouble(), e.GetProperty("dur").GetDouble(), args));
        }
        var rangeTimes = ranges.GroupBy(r => r.Name)
            .Select(g => new CallTime(g.Key, g.Count(), Ms(g.Sum(r => r.Duration))))
            .OrderByDescending(r => r.TotalMs).ToList();
        return Summarise(events) with { Ranges = rangeTimes };
    }

    private static TraceSummary Summarise(List<(string Name, double Start, double Duration, JsonElement Args)> events)
    {
        if (events.Count == 0)
            return new TraceSummary(0, 0, [], [], [], new Gaps(0, 0, 0), []);
        var graphs = events.Where(e => e.Name.StartsWith("aclmdlExecute", StringComparison.Ordinal))
            .GroupBy(e => GraphName(e.Args))
            .Select(g => new GraphTime(g.Key, g.Count(), Ms(g.Sum(e => e.Duration)), Ms(g.Average(e => e.Duration)), Ms(g.Max(e => e.Duration)),
                g.Count(e => e.Args.ValueKind == JsonValueKind.Object && e.Args.TryGetProperty("status", out var s) && s.GetInt32() != 0)))
            .OrderByDescending(g => g.TotalMs).ToList();
        var copies = events.Where(e => e.Name.StartsWith("aclrtMemcpy", StringComparison.Ordinal))
            .GroupBy(e => Text(e.Args, "kind") ?? "unknown")
            .Select(g => new CopyTime(g.Key, g.Count(), g.Sum(e => Long(e.Args, "bytes")), Ms(g.Sum(e => e.Duration))))
            .OrderByDescending(c => c.TotalMs).ToList();
        var calls = events.Where(e => !e.Name.StartsWith("aclmdlExecute", StringComparison.Ordinal) && !e.Name.StartsWith("aclrtMemcpy", StringComparison.Ordinal))
            .GroupBy(e => e.Name)
            .Select(g => new CallTime(g.Key, g.Count(), Ms(g.Sum(e => e.Duration))))
            .OrderByDescending(c => c.TotalMs).ToList();

        // Union of all call intervals (any lane); what is left of the wall time are host gaps.
        var ordered = events.OrderBy(e => e.Start).ToList();
        double first = ordered[0].Start, last = ordered.Max(e => e.Start + e.Duration);
        double busy = 0, gapTotal = 0, largest = 0;
        var gaps = 0;
        double spanStart = ordered[0].Start, spanEnd = ordered[0].Start + ordered[0].Duration;
        foreach (var e in ordered.Skip(1))
        {
            if (e.Start > spanEnd)
            {
                busy += spanEnd - spanStart;
                var gap = e.Start - spanEnd;
                gapTotal += gap;
                largest = Math.Max(largest, gap);
                gaps++;
                spanStart = e.Start;
            }
            spanEnd = Math.Max(spanEnd, e.Start + e.Duration);
        }
        busy += spanEnd - spanStart;
        return new TraceSummary(Ms(last - first), Ms(busy), graphs, copies, calls, new Gaps(gaps, Ms(gapTotal), Ms(largest)), []);
    }

    /// <summary>"bundle/file.onnx" from the model's source path, so two bundles' files with the same name stay apart.</summary>
    private static string GraphName(JsonElement args)
    {
        var source = Text(args, "model");
        if (string.IsNullOrEmpty(source))
            return "model " + (args.ValueKind == JsonValueKind.Object && args.TryGetProperty("model_id", out var id) ? id.ToString() : "?");
        var directory = Path.GetFileName(Path.GetDirectoryName(source));
        return string.IsNullOrEmpty(directory) ? Path.GetFileName(source) : $"{directory}/{Path.GetFileName(source)}";
    }

    private static string? Text(JsonElement args, string name) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Long(JsonElement args, string name) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static double Ms(double microseconds) => microseconds / 1000;
}
