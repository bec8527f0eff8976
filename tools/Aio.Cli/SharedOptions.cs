using System.CommandLine;
using AscendAio.Tasks;

namespace AscendAio.Cli;

/// <summary>
/// The options several commands take, each defined once (name, type, default, validation, help text) and added to
/// every command that takes it.
/// </summary>
internal static class SharedOptions
{
    /// <summary>Print one JSON document on stdout instead of tables.</summary>
    public static readonly Option<bool> Json = new("--json") { Description = "print one JSON document on stdout instead of the tables" };

    /// <summary>The largest number of tokens a request generates; --max-tokens is the older spelling.</summary>
    public static readonly Option<int?> MaxNewTokens = Positive(new Option<int?>("--max-new-tokens", "--max-tokens")
    {
        Description = "tokens to generate per request at most (default: each suite's own)",
        HelpName = "N",
    });

    /// <summary>The task-suite seed; by default the reference pair's training seed, so held-out splits match it.</summary>
    public static readonly Option<ulong> SuiteSeed = new("--seed")
    {
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
    public static readonly Option<int?> Limit = Positive(new Option<int?>("--limit") { Description = "run only the first N requests", HelpName = "N" });

    /// <summary>Parses a whole number of at least 1; anything else is a usage error naming the option and the text.</summary>
    public static Option<int?> Positive(Option<int?> option) => Range(option, 1, int.MaxValue);

    /// <summary>
    /// A comma-separated list of positive integers ("1,2,4,8"); an entry that is not one is a usage error. Absent, it reads
    /// as an empty array (System.CommandLine's default for collections).
    /// </summary>
    public static Option<int[]?> PositiveList(string name, string description)
    {
        var option = new Option<int[]?>(name)
        {
            Description = description,
            HelpName = "N,N,…",
            Arity = ArgumentArity.ExactlyOne, // one comma-separated token, not a token per entry
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            var values = new List<int>();
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(part, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
                    values.Add(value);
                else
                    result.AddError($"{name}: '{part}' is not a positive integer");
            }
            return [.. values];
        };
        return option;
    }

    /// <summary>
    /// An integer in [<paramref name="min"/>, <paramref name="max"/>]; anything else is a usage error naming the range
    /// (or <paramref name="message"/>, after the option's name, with {0} for the text given).
    /// </summary>
    public static Option<int?> Range(Option<int?> option, int min, int max, string? message = null)
    {
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return null; // not given
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return value;
            result.AddError(message is null
                ? $"{option.Name} must be an integer in [{min}, {max}], got '{text}'"
                : $"{option.Name} " + string.Format(System.Globalization.CultureInfo.InvariantCulture, message, text));
            return null;
        };
        return option;
    }

    /// <summary>Adds a validator: a given value must be one of <paramref name="allowed"/> (message: "NAME must be …; got 'x'").</summary>
    public static Option<string> OneOf(Option<string> option, string message, params string[] allowed)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !allowed.Contains(value))
                result.AddError($"{option.Name} must be {message}; got '{value}'");
        });
        return option;
    }

    /// <summary>The configuration file; absent, aio.json in the working directory if it exists.</summary>
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "configuration file (default: aio.json in the working directory, if present)",
        HelpName = "FILE",
    };

    /// <summary>The small model's bundle, over the configuration's models:small.</summary>
    public static readonly Option<string?> SmallBundle = new("--small") { Description = "the small model's bundle directory (overrides models:small)", HelpName = "DIR" };

    /// <summary>The large model's bundle, over the configuration's models:large.</summary>
    public static readonly Option<string?> LargeBundle = new("--large") { Description = "the large model's bundle directory (overrides models:large)", HelpName = "DIR" };

    /// <summary>Also write the command's report as one JSON document to a file.</summary>
    public static readonly Option<string?> JsonFile = new("--json") { Description = "also write the report as one JSON document to FILE", HelpName = "FILE" };
}
