using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace AscendAio.Cli;

/// <summary>
/// Parsers and validators for options: a value outside its rule is a usage error (exit 2) naming the option and the
/// text given, reported by System.CommandLine with every other parse error.
/// </summary>
internal static class OptionRules
{
    /// <summary>Parses a whole number of at least 1; anything else is a usage error naming the option and the text.</summary>
    public static Option<T> Positive<T>(Option<T> option) => Range(option, 1, int.MaxValue);

    /// <summary>
    /// An integer in [<paramref name="min"/>, <paramref name="max"/>] (<typeparamref name="T"/> is int or int?); anything
    /// else is a usage error naming the range (or <paramref name="message"/>, after the option's name, with {0} for the
    /// text given). Absent, the option reads as its DefaultValueFactory's value (null or 0 without one).
    /// </summary>
    public static Option<T> Range<T>(Option<T> option, int min, int max, string? message = null) =>
        Bounded(option, min, max, NumberStyles.Integer, message ?? $"must be an integer in [{min}, {max}], got '{{0}}'");

    /// <summary>`NAME N`: an integer of at least <paramref name="min"/>, <paramref name="fallback"/> when absent (shown in the help).</summary>
    public static Option<int> Integer(string name, string description, int fallback, int min = 1) =>
        Range(new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => fallback }, min, int.MaxValue);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] (<typeparamref name="T"/> is double or double?); <paramref name="message"/> as for <see cref="Range{T}"/>.</summary>
    public static Option<T> Between<T>(Option<T> option, double min, double max, string? message = null) =>
        Bounded(option, min, max, NumberStyles.Float, message ?? $"must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got '{{0}}'");

    private static Option<T> Bounded<T, TNumber>(Option<T> option, TNumber min, TNumber max, NumberStyles styles, string message)
        where TNumber : INumber<TNumber>
    {
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return option.DefaultValueFactory is { } fallback ? fallback(result) : default;
            var text = result.Tokens[0].Value;
            if (TNumber.TryParse(text, styles, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return (T)(object)value;
            result.AddError($"{option.Name} " + string.Format(CultureInfo.InvariantCulture, message, text));
            return default;
        };
        return option;
    }

    /// <summary>
    /// A comma-separated list of integers in [1, <paramref name="max"/>] ("1,2,4,8"); an entry that is not one is a usage
    /// error. Absent, it reads as an empty array (System.CommandLine's default for collections).
    /// </summary>
    public static Option<int[]?> PositiveList(string name, string description, int max = int.MaxValue) =>
        List(name, description, "N,N,…", part =>
            int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max ? value
                : throw new FormatException(max == int.MaxValue ? $"'{part}' is not a positive integer" : $"'{part}' is not an integer in [1, {max}]"));

    /// <summary>A comma-separated list of names, each one of <paramref name="known"/> (an unknown one is a usage error listing them).</summary>
    public static Option<string[]?> NameList(string name, string description, string what, IReadOnlyCollection<string> known) =>
        List(name, description, "NAME,NAME,…", part => known.Contains(part) ? part
            : throw new FormatException($"unknown {what} '{part}' (known: {string.Join(", ", known)})"));

    private static Option<T[]?> List<T>(string name, string description, string helpName, Func<string, T> parse)
    {
        var option = new Option<T[]?>(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.ExactlyOne, // one comma-separated token, not a token per entry
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            var values = new List<T>();
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try
                {
                    values.Add(parse(part));
                }
                catch (FormatException e)
                {
                    result.AddError($"{name}: {e.Message}");
                }
            }
            return [.. values];
        };
        return option;
    }

    /// <summary>Adds a validator: a given value must be one of <paramref name="allowed"/> (message: "NAME must be …; got 'x'").</summary>
    public static Option<string> OneOf(Option<string> option, string message, params string[] allowed) =>
        OneOf(option, message, StringComparer.Ordinal, allowed);

    /// <summary>As <see cref="OneOf(Option{string}, string, string[])"/>, comparing with <paramref name="comparer"/>.</summary>
    public static Option<string> OneOf(Option<string> option, string message, StringComparer comparer, params string[] allowed)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !allowed.Contains(value, comparer))
                result.AddError($"{option.Name} must be {message}; got '{value}'");
        });
        return option;
    }
}
