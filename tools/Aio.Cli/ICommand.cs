namespace AscendAio.Cli;

/// <summary>One `aio` subcommand. Implementations live in Commands/, one file each.</summary>
internal interface ICommand
{
    string Name { get; }
    string Summary { get; }

    /// <summary>Runs with the arguments after the subcommand name; returns the process exit code.</summary>
    int Run(string[] args);
}
