using AscendAio.Bindings;
using AscendAio.Host.Backends;
using AscendAio.Host.Server;
using Microsoft.Extensions.Logging;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio serve [--config FILE] [--urls URLS] [--section:key=value ...] [--log-requests]`: loads both bundles and the
/// routing policy, then serves the OpenAI-compatible API (see tools/Aio.Host) until Ctrl-C / SIGTERM, after which
/// in-flight requests get limits:shutdownGraceSeconds to finish. Binds 127.0.0.1:8080 unless told otherwise.
/// </summary>
internal sealed class ServeCommand : ICommand
{
    public string Name => "serve";

    public string Summary => "serve the OpenAI-compatible API (completions, chat, streaming, /metrics) on 127.0.0.1:8080";

    public int Run(string[] args)
    {
        var (overrides, rest) = ConfigCommand.Overrides(args);
        var cl = CommandLine.Parse(rest, ["--config", "--urls"], ["--log-requests"]);
        if (cl.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{cl.Positional[0]}'");
        var options = ConfigCommand.ReadOrReport(cl.String("--config"), overrides, Name);
        if (options is null)
            return 1;

        AclLibrary.Resolved += choice => Console.WriteLine(choice);
        using var stack = ConfigCommand.LoadOrReport(options, Name);
        if (stack is null)
            return 1;
        if (stack.Models.Plan is { } plan)
            PlanTable.Write(Console.Out, plan, indent: "");
        foreach (var model in stack.Backend.Status().Models)
            Console.WriteLine($"loaded {model.Model}: graphs {Mib(model.GraphDeviceBytes)} on the device, KV cache up to {Mib(model.KvBytesAtMaxContext)} per sequence (allocated by gear as it grows)");
        Console.WriteLine($"policy: {stack.Router?.Policy.Name ?? "(none)"}; models served: {string.Join(", ", stack.Backend.ModelIds)}");

        var server = AioServer.Create(options, stack.Backend, cl.String("--urls"), logging =>
        {
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            logging.AddFilter("AscendAio.Host", LogLevel.Information);
            if (cl.Flag("--log-requests"))
                logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
        });
        try
        {
            server.RunAsync().GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            // Kestrel could not bind (address in use, no permission).
            Console.Error.WriteLine($"aio serve: {e.Message}");
            return 1;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var memory = stack.Models.Device.GetMemoryInfo();
        Console.WriteLine($"stopped; device memory in use {Mib(memory.Used)} before unloading");
        return 0;
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F2} MiB";
}
