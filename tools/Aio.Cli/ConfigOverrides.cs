using System.CommandLine;
using AscendAio.Host.Configuration;

namespace AscendAio.Cli;

/// <summary>
/// Configuration overrides on the command line: `--section:key=value` or `--section:key value` (as aio.json's
/// section:key, e.g. --limits:maxNewTokens=64), the last layer over the file and AIO_ variables. Their names are open
/// (every configuration key), so <see cref="CommandTable"/> splits them out before System.CommandLine parses and hands
/// each to <see cref="Option"/> as one KEY=VALUE token; a command that takes them adds <see cref="Option"/>, which its
/// generated help lists as `--section:key &lt;value&gt;`.
/// </summary>
internal static class ConfigOverrides
{
    /// <summary>
    /// Fed by <see cref="Prepare"/> only: its name holds a ':' so a typed `--section:key` is split out as an override
    /// (and reported as an unknown configuration key) before it could reach the option.
    /// </summary>
    public static readonly Option<string[]> Option = new("--section:key")
    {
        Description = "override a configuration key, e.g. --limits:maxNewTokens=64 or --limits:maxNewTokens 64 (repeatable; wins over the file and AIO_ variables)",
        HelpName = "value",
    };

    /// <summary>The overrides a parsed command line carries, as configuration key/value pairs, in order.</summary>
    public static List<KeyValuePair<string, string?>> Of(ParseResult parse) =>
        [.. (parse.GetValue(Option) ?? []).Select(token => token.Split('=', 2)).Select(kv => KeyValuePair.Create(kv[0], (string?)kv[1]))];

    /// <summary>
    /// For a command that takes overrides: moves each `--section:key=value` / `--section:key value` out of
    /// <paramref name="args"/> into a `--section:key KEY=VALUE` pair System.CommandLine parses, before any `--`.
    /// </summary>
    /// <exception cref="UsageException">An override without a value.</exception>
    public static string[] Prepare(string[] args)
    {
        List<KeyValuePair<string, string?>> overrides;
        string[] rest;
        try
        {
            (overrides, rest) = AioConfiguration.SplitOverrides(args);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var end = Array.IndexOf(rest, "--") is var dashes and >= 0 ? dashes : rest.Length;
        return [.. rest[..end], .. overrides.SelectMany(o => new[] { Option.Name, $"{o.Key}={o.Value}" }), .. rest[end..]];
    }

    /// <summary>Whether <paramref name="command"/> or one of its subcommands takes overrides.</summary>
    public static bool TakenBy(Command command) => command.Options.Contains(Option) || command.Subcommands.Any(TakenBy);
}
