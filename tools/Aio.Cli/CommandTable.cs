using System.CommandLine;
using System.CommandLine.Help;

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

        var verbose = args.Contains(VerboseFlag) || Environment.GetEnvironmentVariable("AIO_VERBOSE") == "1";
        var rest = args[1..].Where(a => a != VerboseFlag).ToArray();
        try
        {
            return command switch
            {
                IDeclaredCommand declared => RunDeclared(declared, rest),
                _ when rest is ["--help"] or ["-h"] => PrintSummary(command),
                _ => command.Run(rest),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"aio {command.Name}: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            // The one top-level handler: no exception reaches the runtime (no abort, no unasked-for stack trace).
            Console.Error.WriteLine($"aio {command.Name}: {e.Message}");
            if (verbose)
                Console.Error.WriteLine(e);
            else
                Console.Error.WriteLine($"  ({e.GetType().Name}; run with {VerboseFlag} for the stack trace)");
            return 1;
        }
    }

    /// <summary>Whether <paramref name="name"/> is an `aio` command.</summary>
    public static bool IsCommand(string name) => Commands.Any(c => c.Name == name);

    /// <summary>Any command: print a failure's stack trace (also AIO_VERBOSE=1).</summary>
    public const string VerboseFlag = "--verbose";

    /// <summary>
    /// Parses with System.CommandLine: --help prints the generated help (exit 0); parse and validation errors are
    /// usage errors (exit 2), printed as "aio NAME: message" like every other usage error.
    /// </summary>
    private static int RunDeclared(IDeclaredCommand declared, string[] args)
    {
        var command = new Command(declared.Name, declared.Summary) { new HelpOption() };
        declared.Declare(command);
        if (ConfigOverrides.TakenBy(command))
            args = ConfigOverrides.Prepare(args);
        var root = new Command("aio") { command };
        // "@file" stays an ordinary argument (a prompt or a path), not a response file.
        var parse = root.Parse([declared.Name, .. args], new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is HelpAction)
            return parse.Invoke(new InvocationConfiguration { Output = Console.Out, Error = Console.Error });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"aio {declared.Name}: {error.Message}");
            return 2;
        }
        return declared.Run(parse);
    }

    private static int PrintSummary(ICommand command)
    {
        Console.WriteLine($"usage: aio {command.Name} [options]");
        Console.WriteLine($"  {command.Summary}");
        Console.WriteLine("  (its options are listed in README.md)");
        return 0;
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: aio <command> [options] [--verbose]    (aio <command> --help: its options)");
        writer.WriteLine();
        foreach (var c in Commands)
            writer.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}

/// <summary>Thrown for a bad command line; printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
