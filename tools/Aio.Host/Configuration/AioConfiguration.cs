using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace AscendAio.Host.Configuration;

/// <summary>
/// Layers the configuration as ASP.NET Core does, later layers winning: the JSON file, then AIO_ environment
/// variables (sections separated by "__", e.g. AIO_LIMITS__MAXNEWTOKENS=64), then command-line overrides
/// ("limits:maxNewTokens" = "64"). Keys are case-insensitive.
/// </summary>
public static class AioConfiguration
{
    public const string EnvironmentPrefix = "AIO_";
    public const string DefaultFileName = "aio.json";

    /// <summary>
    /// Reads and checks the configuration. <paramref name="path"/> null means aio.json in the current directory if
    /// it exists; a named file that does not exist is an error. Every problem is reported, not only the first.
    /// </summary>
    public static ConfigReport Read(string? path, IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        bool includeEnvironment = true, ConfigCheckDepth depth = ConfigCheckDepth.Files)
    {
        var file = path ?? (File.Exists(DefaultFileName) ? DefaultFileName : null);
        if (file is not null && !File.Exists(file))
            return new ConfigReport(null, [new ConfigIssue("(file)", file, "the configuration file does not exist")], []);
        var full = file is null ? null : Path.GetFullPath(file);

        var builder = new ConfigurationBuilder();
        if (full is not null)
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        if (includeEnvironment)
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
            builder.AddInMemoryCollection(overrides);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (InvalidDataException e)
        {
            // The JSON provider wraps the parser's message (line and position) in its own.
            var detail = e.InnerException?.Message ?? e.Message;
            return new ConfigReport(null, [new ConfigIssue("(file)", full ?? "(none)", $"not valid JSON: {detail}")], []);
        }
        return new OptionsReader(root, full, depth).Read();
    }

    /// <summary>Turns `--section:key=value` / `--section:key value` arguments into overrides; returns the rest untouched.</summary>
    public static (List<KeyValuePair<string, string?>> Overrides, string[] Remaining) SplitOverrides(IReadOnlyList<string> args)
    {
        var overrides = new List<KeyValuePair<string, string?>>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }
            var name = arg.Split('=', 2)[0];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !name.Contains(':'))
            {
                rest.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            if (eq > 0)
                overrides.Add(new(arg[2..eq], arg[(eq + 1)..]));
            else if (i + 1 < args.Count)
                overrides.Add(new(arg[2..], args[++i]));
            else
                throw new ArgumentException($"{arg} needs a value");
        }
        return (overrides, rest.ToArray());
    }

    /// <summary>Names where a key's value came from: the file, the environment variable, or the command line.</summary>
    internal static string SourceOf(IConfigurationRoot root, string key, string? file)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _))
                continue;
            return provider switch
            {
                JsonConfigurationProvider json => file ?? json.Source.Path ?? "json",
                EnvironmentVariablesConfigurationProvider => "environment " + EnvironmentPrefix + key.Replace(":", "__").ToUpperInvariant(),
                MemoryConfigurationProvider => "command line --" + key,
                _ => provider.ToString() ?? "configuration",
            };
        }
        return "default";
    }
}

/// <summary>How far `config check` goes beyond the values themselves.</summary>
public enum ConfigCheckDepth
{
    /// <summary>Only values and ranges.</summary>
    Values,

    /// <summary>Also: bundle directories and files named by the configuration exist and parse.</summary>
    Files,
}
