using System.CommandLine;

namespace AscendAio.Cli;

/// <summary>One `aio` subcommand. Implementations live in Commands/, one file each.</summary>
internal interface ICommand
{
    string Name { get; }
    string Summary { get; }

    /// <summary>Runs with the arguments after the subcommand name; returns the process exit code.</summary>
    /// <remarks>Only `aio calibrate` still parses these itself (<see cref="CommandLine"/>).</remarks>
    int Run(string[] args);
}

/// <summary>
/// A subcommand declared with System.CommandLine: its options (shared ones from <see cref="SharedOptions"/>) and
/// validators; <see cref="CommandTable"/> parses, prints generated help and usage errors (exit 2), then calls
/// <see cref="Run(ParseResult)"/>.
/// </summary>
internal interface IDeclaredCommand : ICommand
{
    /// <summary>Adds the command's options, arguments and validators.</summary>
    void Declare(Command command);

    /// <summary>Runs a command line that parsed without errors; returns the process exit code.</summary>
    int Run(ParseResult parse);

    int ICommand.Run(string[] args) => CommandTable.Run([Name, .. args]);
}
