using System.CommandLine;
using AscendAio.Router;
using AscendAio.Tasks;

namespace AscendAio.Cli;

/// <summary>
/// The options several commands take, each defined once (name, type, default, validation, help text) and added to
/// every command that takes it. Where a default differs by command, the definition is a factory taking that default.
/// </summary>
internal static class SharedOptions
{
    /// <summary>
    /// `--json`: one JSON document on stdout instead of the tables; `--json FILE`: the tables on stdout and the document
    /// in FILE. Read it with <see cref="JsonOutput.Of"/>.
    /// </summary>
    public static readonly Option<string?> Json = new("--json")
    {
        Description = "print one JSON document on stdout instead of the tables; with FILE, write it there and print the tables",
        HelpName = "FILE",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The largest number of tokens a request generates, by default each suite's own.</summary>
    public static readonly Option<int?> MaxNewTokens = MaxNewTokensOption(null);

    /// <summary>
    /// `--max-new-tokens N` (at least <paramref name="min"/>): the largest number of tokens a request generates;
    /// <paramref name="fallback"/> null means each suite's own. --max-tokens is the older spelling, kept as an alias
    /// because README and scripts use it.
    /// </summary>
    public static Option<int?> MaxNewTokensOption(int? fallback, int min = 1)
    {
        var option = new Option<int?>("--max-new-tokens", "--max-tokens")
        {
            Description = fallback is null ? "tokens to generate per request at most (default: each suite's own)" : "tokens to generate per request at most",
            HelpName = "N",
        };
        if (fallback is { } value)
            option.DefaultValueFactory = _ => value;
        return OptionRules.Range(option, min, int.MaxValue);
    }

    /// <summary>The task-suite seed; by default the reference pair's training seed, so held-out splits match it.</summary>
    public static readonly Option<ulong> SuiteSeed = SuiteSeedOption("--seed");

    /// <summary>The task-suite seed under <paramref name="name"/> (bench's --suite-seed, where --seed seeds the traces).</summary>
    public static Option<ulong> SuiteSeedOption(string name) => new(name)
    {
        HelpName = "N",
        Description = "task-suite seed; the default is the reference pair's training seed, so held-out splits match its training",
        DefaultValueFactory = _ => SuiteGenerator.ReferenceSeed,
    };

    /// <summary>Where bundles named by name (not by directory) are looked up.</summary>
    public static readonly Option<string> Bundles = new("--bundles")
    {
        Description = "folder of the bundles --model names",
        HelpName = "DIR",
        DefaultValueFactory = _ => BundlePaths.Default(),
    };

    /// <summary>Run only the first N requests.</summary>
    public static readonly Option<int?> Limit = OptionRules.Positive(new Option<int?>("--limit") { Description = "run only the first N requests", HelpName = "N" });

    /// <summary>The configuration file, read as `aio serve` reads it (then AIO_ variables, then --section:key=value).</summary>
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "the configuration file (default: aio.json in the current folder, if there is one)",
        HelpName = "FILE",
    };

    /// <summary>A served model name: aio (routed) or a configured model's served name.</summary>
    public static readonly Option<string> ServedModel = new("--model")
    {
        Description = $"the served model: {ModelNames.Routed} (routed; needs both models) or a configured model's served name (models:smallName / models:largeName, else its bundle's model_name)",
        HelpName = "NAME",
        DefaultValueFactory = _ => ModelNames.Routed,
    };

    /// <summary>The small model's bundle directory.</summary>
    public static readonly Option<string?> SmallBundle = new("--small") { Description = "the small model's bundle directory", HelpName = "DIR" };

    /// <summary>The large model's bundle directory.</summary>
    public static readonly Option<string?> LargeBundle = new("--large") { Description = "the large model's bundle directory", HelpName = "DIR" };
}
