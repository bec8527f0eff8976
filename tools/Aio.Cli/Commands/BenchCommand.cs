using System.CommandLine;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio bench [options]`: the mixed-workload benchmark of the whole system (<see cref="BenchMixedCommand"/>);
/// `aio bench engine` the engine benchmark (<see cref="BenchEngineCommand"/>), `aio bench serve` a burst against the
/// server (<see cref="BenchServeCommand"/>), `aio bench storm` clients retrying 429s against the server's capacity (<see cref="BenchStormCommand"/>).
/// </summary>
internal sealed class BenchCommand : IDeclaredCommand
{
    public string Name => "bench";

    public string Summary => "the main job (mixed workloads, see BenchMixedCommand); `bench engine`: step overhead, decode TPS, roofline, serving load; `bench serve`: a burst against aio serve; `bench storm`: 429 storm against the capacity";

    public void Declare(Command command)
    {
        BenchMixedCommand.Declare(command);
        command.Subcommands.Add(BenchEngineCommand.Declare());
        command.Subcommands.Add(BenchServeCommand.Declare());
        command.Subcommands.Add(BenchStormCommand.Declare());
        // A command with subcommands is only complete without one when it has an action of its own; CommandTable calls
        // Run, never the action, so this one only marks `aio bench [options]` (the mixed benchmark) as valid.
        command.SetAction(_ => 0);
    }

    public int Run(ParseResult parse) => parse.CommandResult.Command.Name switch
    {
        BenchEngineCommand.Name => BenchEngineCommand.Run(parse),
        BenchServeCommand.Name => BenchServeCommand.Run(parse),
        BenchStormCommand.Name => BenchStormCommand.Run(parse),
        _ => BenchMixedCommand.Run(parse),
    };
}
