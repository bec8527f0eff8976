namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench MODE ...`: benchmark dispatcher. `engine` is the engine benchmark (<see cref="BenchEngineCommand"/>),
/// `serve` a burst against the server (<see cref="BenchServeCommand"/>);
/// the default mode is the mixed-workload benchmark of the whole system (<see cref="BenchMixedCommand"/>).
/// </summary>
internal sealed class BenchCommand : ICommand
{
    public string Name => "bench";

    public string Summary => "the main job (mixed workloads, see BenchMixedCommand); `bench engine`: step overhead, decode TPS, roofline, serving load; `bench serve`: a burst against aio serve";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "engine")
            return new BenchEngineCommand().Run(args[1..]);
        if (args.Length > 0 && args[0] == "serve")
            return new BenchServeCommand().Run(args[1..]);
        return new BenchMixedCommand().Run(args);
    }
}
