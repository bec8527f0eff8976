using System.CommandLine;
using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Host.Profiling;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio profile [--out DIR] [--device N] [--acl-config FILE] [--aic-metrics NAME] [--top N] -- COMMAND [ARGS]`: runs another aio subcommand
/// in this process inside an AscendCL profiling window (aclprofInit/Start … Stop/Finalize on the device), so every
/// graph execution and copy the command makes is recorded. On the CPU device the result is a Chrome-trace timeline,
/// summarised here (per graph, per copy, host gaps); on a 910B the PROF_* data is msprof's to parse.
/// </summary>
internal sealed class ProfileCommand : IDeclaredCommand
{
    private static readonly Option<string?> Out = new("--out") { Description = "folder for the profile data (default: aio-profile-DATE-TIME)", HelpName = "DIR" };

    private static readonly Option<int?> DeviceId = OptionRules.Range(new Option<int?>("--device")
    {
        Description = "the device to profile",
        HelpName = "N",
        DefaultValueFactory = _ => 0,
    }, 0, int.MaxValue);

    private static readonly Option<string?> AclConfig = new("--acl-config") { Description = "aclInit's JSON configuration", HelpName = "FILE" };

    private static readonly Option<string> AicMetrics = AicoreMetricsOption();

    private static readonly Option<int?> Top = OptionRules.Positive(new Option<int?>("--top")
    {
        Description = "graphs listed in the summary",
        HelpName = "N",
        DefaultValueFactory = _ => 12,
    });

    private static readonly Argument<string[]> Inner = new("command")
    {
        Description = "the aio subcommand to profile and its arguments, after --",
        Arity = ArgumentArity.OneOrMore,
    };

    public string Name => "profile";

    public string Summary => "profile another subcommand (aio profile -- generate --prompt hi): timeline + where the time went";

    public void Declare(Command command)
    {
        foreach (var option in new Option[] { Out, DeviceId, AclConfig, AicMetrics, Top })
            command.Options.Add(option);
        command.Arguments.Add(Inner);
        command.Validators.Add(result =>
        {
            // The argument takes every token System.CommandLine does not match, an unknown option included.
            if (result.GetValue(Inner) is [var first, ..] && first == Name)
                result.AddError("profile cannot profile itself");
            else if (result.GetValue(Inner) is [var other, ..] && !CommandTable.IsCommand(other))
                result.AddError($"expected an aio command to profile (after --), got '{other}'");
        });
    }

    private static Option<string> AicoreMetricsOption()
    {
        var option = new Option<string>("--aic-metrics")
        {
            Description = "the AI Core metrics msprof collects on an NPU (PipeUtilization, ArithmeticUtilization, Memory, …)",
            HelpName = "NAME",
            DefaultValueFactory = _ => AicoreMetricNames.Default,
        };
        option.Validators.Add(result =>
        {
            try
            {
                AicoreMetricNames.Parse(result.GetValueOrDefault<string>());
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    public int Run(ParseResult parse)
    {
        var inner = parse.GetRequiredValue(Inner);
        var dir = Path.GetFullPath(parse.GetValue(Out) ?? $"aio-profile-{DateTime.Now:yyyyMMdd-HHmmss}");
        var top = parse.GetValue(Top) ?? 12;
        var metrics = AicoreMetricNames.Parse(parse.GetRequiredValue(AicMetrics));

        int exitCode;
        // The window's device handle holds AscendCL initialised across the command, which opens the device again
        // (aclInit and aclrtSetDevice are reference-counted), so every call the command makes lands in the profile.
        using (var device = Device.Open(parse.GetValue(DeviceId) ?? 0, parse.GetValue(AclConfig)))
        {
            using (DeviceProfiler.Start(device, dir, metrics))
                exitCode = CommandTable.Run(inner);
        }

        Console.WriteLine();
        if (TraceSummary.FindTimeline(dir) is { } timeline)
            Print(TraceSummary.Load(timeline), timeline, top);
        else
            PrintMsprof(dir);
        return exitCode;
    }

    private static void Print(TraceSummary s, string timeline, int top)
    {
        Console.WriteLine($"profile: {timeline}");
        Console.WriteLine("  (open it in https://ui.perfetto.dev or chrome://tracing)");
        if (s.WallMs <= 0)
        {
            Console.WriteLine("no AscendCL calls were recorded");
            return;
        }
        Console.WriteLine($"wall {s.WallMs:F1} ms from the first to the last recorded call: AscendCL calls {s.BusyMs:F1} ms ({s.BusyMs / s.WallMs:P0}), " +
                          $"host gaps {s.HostGaps.TotalMs:F1} ms ({s.HostGaps.TotalMs / s.WallMs:P0}) in {s.HostGaps.Count} gaps, longest {s.HostGaps.LargestMs:F2} ms");
        Console.WriteLine();
        Console.WriteLine($"  {"graph (aclmdlExecute)",-44} {"calls",7} {"total ms",10} {"mean ms",9} {"max ms",9} {"of wall",8}");
        foreach (var g in s.Graphs.Take(top))
            Console.WriteLine($"  {g.Graph,-44} {g.Calls,7} {g.TotalMs,10:F1} {g.MeanMs,9:F3} {g.MaxMs,9:F3} {g.TotalMs / s.WallMs,8:P1}" + (g.Failed > 0 ? $"  ({g.Failed} failed)" : ""));
        if (s.Graphs.Count > top)
            Console.WriteLine($"  … {s.Graphs.Count - top} more graphs, {s.Graphs.Skip(top).Sum(g => g.TotalMs):F1} ms");
        Console.WriteLine();
        Console.WriteLine($"  {"copy (aclrtMemcpy)",-44} {"calls",7} {"total ms",10} {"MiB",9} {"GB/s",9}");
        foreach (var c in s.Copies)
            Console.WriteLine($"  {c.Kind,-44} {c.Calls,7} {c.TotalMs,10:F1} {c.Bytes / 1048576.0,9:F1} {c.GigabytesPerSecond,9:F2}");
        if (s.Ranges.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"  {"engine range (msproftx)",-44} {"count",7} {"total ms",10} {"of wall",8}");
            foreach (var r in s.Ranges)
                Console.WriteLine($"  {r.Name,-44} {r.Calls,7} {r.TotalMs,10:F1} {r.TotalMs / s.WallMs,8:P1}");
        }
        if (s.Calls.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"  {"other calls",-44} {"calls",7} {"total ms",10}");
            foreach (var c in s.Calls)
                Console.WriteLine($"  {c.Name,-44} {c.Calls,7} {c.TotalMs,10:F1}");
        }
    }

    private static void PrintMsprof(string dir)
    {
        Console.WriteLine($"profile data: {dir}");
        Console.WriteLine("no CPU-device timeline there: on an Ascend NPU, CANN wrote PROF_* data for msprof. Parse and export it with");
        Console.WriteLine($"  msprof --export=on --output={dir}");
        Console.WriteLine("(timeline and summaries land under each PROF_*/mindstudio_profiler_output).");
    }
}
