using AscendAio.Engine.Planning;

namespace AscendAio.Cli;

/// <summary>Renders a device-memory plan: one line per model and item, the total against the device, the verdict.</summary>
internal static class PlanTable
{
    public static void Write(TextWriter writer, HbmPlan plan, string indent = "  ")
    {
        var r = plan.Request;
        writer.WriteLine($"{indent}HBM plan: {r.Concurrency} sequence(s) per model at context {r.Context}, against {ByteSize.Format(r.DeviceBytes)}" +
                         (r.DeviceSource.Length > 0 ? $" ({r.DeviceSource})" : ""));
        var width = Math.Max(8, plan.Lines.Max(l => l.Model.Length));
        foreach (var line in plan.Lines)
            writer.WriteLine($"{indent}  {line.Model.PadRight(width)}  {line.Item,-9}  {ByteSize.Format(line.Bytes),11}  {line.Detail}");
        writer.WriteLine($"{indent}  {"total".PadRight(width + 11)}  {ByteSize.Format(plan.TotalBytes),11}  of {ByteSize.Format(plan.DeviceBytes)}; " +
                         $"one more sequence per model adds {ByteSize.Format(plan.KvBytesPerSequence)} of KV");
        writer.WriteLine($"{indent}{plan.Verdict()}");
    }
}
