using System.Text.Json;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>One complete event of the CPU device's Chrome-trace timeline (µs on the device's steady clock).</summary>
public sealed record TimelineSpan(string Name, long Start, long Duration, int Lane, string Model)
{
    public long End => Start + Duration;
}

/// <summary>Reads the timeline the CPU device writes at aclprofStop (<c>aio_timeline_&lt;pid&gt;.json</c>).</summary>
public static class DeviceTimeline
{
    public static List<TimelineSpan> Read(string directory)
    {
        var file = Directory.GetFiles(directory, "aio_timeline_*.json").SingleOrDefault()
            ?? throw new FileNotFoundException($"no aio_timeline_*.json in '{directory}': is this the CPU device (its profiler writes one)?");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var spans = new List<TimelineSpan>();
        foreach (var e in doc.RootElement.GetProperty("traceEvents").EnumerateArray())
        {
            if (e.GetProperty("ph").GetString() != "X")
                continue;
            var model = e.TryGetProperty("args", out var args) && args.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
            spans.Add(new TimelineSpan(e.GetProperty("name").GetString() ?? "", e.GetProperty("ts").GetInt64(), e.GetProperty("dur").GetInt64(),
                e.GetProperty("tid").GetInt32(), model));
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans;
    }
}
