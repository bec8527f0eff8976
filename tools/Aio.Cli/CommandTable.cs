namespace AscendAio.Cli;

internal static class CommandTable
{
    // Add a command here when its file lands in Commands/.
    private static readonly ICommand[] Commands =
    [
        new Commands.DemoCommand(),
        new Commands.DataCommand(),
        new Commands.ExportCommand(),
        new Commands.CalibrateCommand(),
        new Commands.BenchCommand(),
        new Commands.EvalCommand(),
        new Commands.ServeCommand(),
        new Commands.GenerateCommand(),
        new Commands.ProfileCommand(),
        new Commands.ConfigCommand(),
        new Commands.PlanCommand(),
    ];

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"aio: unknown command '{args[0]}'");
            PrintUsage(Console.Error);
            return 2;
        }

        try
        {
            return command.Run(args[1..]);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"aio {command.Name}: {e.Message}");
            return 2;
        }
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: aio <command> [options]");
        writer.WriteLine();
        foreach (var c in Commands)
            writer.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}

/// <summary>Thrown for a bad command line; printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
