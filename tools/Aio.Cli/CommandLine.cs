using AscendAio.Tasks;

namespace AscendAio.Cli;

/// <summary>
/// A small `--name value` / `--flag` parser, left for `aio calibrate` (being rewritten for #28); every other command
/// is declared with System.CommandLine (<see cref="IDeclaredCommand"/>). Unknown options are a usage error, so a typo
/// never silently falls back to a default.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLine(List<string> positional) => Positional = positional;

    /// <summary>Arguments that are not options, in order (everything after `--` included).</summary>
    public IReadOnlyList<string> Positional { get; }

    public static CommandLine Parse(string[] args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var positional = new List<string>();
        var parsed = new CommandLine(positional);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args[(i + 1)..]);
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[..eq] : arg;
            if (flagOptions.Contains(name))
            {
                parsed._flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                var value = eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
                parsed._values[name] = value;
            }
            else
            {
                throw new UsageException($"unknown option '{name}'");
            }
        }
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => String(name) ?? throw new UsageException($"{name} is required");

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (String(name) is not { } text)
            return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new UsageException($"{name} must be an integer in [{min}, {max}], got '{text}'");
        return value;
    }

    /// <summary>A task-suite seed; by default the reference pair's training seed, so held-out splits match what it was trained on.</summary>
    public ulong SuiteSeed(string name) => (ulong)Int(name, (int)SuiteGenerator.ReferenceSeed, min: 0);

    public double Double(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        if (String(name) is not { } text)
            return fallback;
        if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"{name} must be a number in [{min}, {max}], got '{text}'");
        return value;
    }
}
