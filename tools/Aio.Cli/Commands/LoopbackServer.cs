using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.Server;
using AscendAio.Tasks;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio serve` in-process on a loopback port for the serving benchmarks (`bench serve`, `bench storm`): started, handed
/// to one run, then stopped and disposed whatever the run does; and the requests those benchmarks send.
/// </summary>
internal static class LoopbackServer
{
    /// <summary>The code test split's first 64 requests.</summary>
    public static string[] BenchPrompts() =>
        new SuiteGenerator(SuiteGenerator.ReferenceSeed).Generate(TaskFamilies.Code, Splits.Test).Select(i => i.Request).Take(64).ToArray();

    /// <summary>Serves <paramref name="backend"/> under <paramref name="options"/> on 127.0.0.1 (a free port) while <paramref name="run"/> runs against its URL.</summary>
    public static T Run<T>(AioOptions options, ICompletionBackend backend, Func<Uri, Task<T>> run)
    {
        var server = AioServer.Create(options, backend, "http://127.0.0.1:0");
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
            return run(new Uri(server.Urls[0])).GetAwaiter().GetResult();
        }
        finally
        {
            server.StopAsync().GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
