namespace AscendAio.Cli.Tests;

/// <summary>Runs one `aio` command line in-process and captures what it writes and its exit code.</summary>
internal static class AioConsole
{
    // Console.Out and Console.Error are process-wide; the assembly runs its tests one at a time (AssemblyInfo.cs).
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        TextWriter stdout = Console.Out, stderr = Console.Error;
        using StringWriter outWriter = new(), errWriter = new();
        Console.SetOut(outWriter);
        Console.SetError(errWriter);
        try
        {
            var exit = CommandTable.Run(args);
            return (exit, outWriter.ToString(), errWriter.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
