using System.CommandLine;
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
internal sealed class ServeCommand : IDeclaredCommand
{
    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = "the addresses to listen on, ';'-separated (default: server:urls, 127.0.0.1:8080); port 0 picks a free one",
        HelpName = "URLS",
    };

    private static readonly Option<bool> LogRequests = new("--log-requests") { Description = "log every request (ASP.NET Core's request log)" };

    public string Name => "serve";

    public string Summary => "serve the OpenAI-compatible API (completions, chat, streaming, /metrics) on 127.0.0.1:8080";

    public void Declare(Command command)
    {
        foreach (var option in new Option[] { SharedOptions.Config, Urls, LogRequests, ConfigOverrides.Option })
            command.Options.Add(option);
    }

    public int Run(ParseResult parse)
    {
        var options = ConfigCommand.ReadOrReport(parse.GetValue(SharedOptions.Config), ConfigOverrides.Of(parse), Name);
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

        var server = AioServer.Create(options, stack.Backend, parse.GetValue(Urls), logging =>
        {
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            logging.AddFilter("AscendAio.Host", LogLevel.Information);
            if (parse.GetValue(LogRequests))
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
