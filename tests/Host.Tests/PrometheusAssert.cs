using System.Globalization;
using System.Text.RegularExpressions;

namespace AscendAio.Host.Tests;

/// <summary>
/// Finds samples in Prometheus text by what they mean, not how the exporter spells them: label order and an empty
/// label set ("name{} 1" = "name 1") do not matter, values compare as numbers.
/// </summary>
internal static partial class PrometheusAssert
{
    /// <summary>
    /// Asserts <paramref name="text"/> holds the sample <paramref name="expected"/>, written as Prometheus writes one:
    /// <c>name{label="value",…} VALUE</c>; without a value, any value matches.
    /// </summary>
    public static void HasSample(string text, string expected)
    {
        if (!Contains(text, expected))
            Assert.Fail($"no sample {expected} in the metrics:\n{text}");
    }

    /// <summary>Asserts the unlabelled counter <paramref name="name"/> is 0: absent (the exporter writes a series once it has a measurement) or 0.</summary>
    public static void IsZero(string text, string name)
    {
        if (Contains(text, name) && !Contains(text, name + " 0"))
            Assert.Fail($"{name} is not 0 in the metrics:\n{text}");
    }

    public static bool Contains(string text, string expected)
    {
        var wanted = Parse(expected) ?? throw new ArgumentException($"not a sample: {expected}", nameof(expected));
        return text.Split('\n').Select(Parse).Any(sample => sample is { } s && s.Name == wanted.Name &&
            s.Labels.Count == wanted.Labels.Count && !s.Labels.Except(wanted.Labels).Any() &&
            (wanted.Value is null || s.Value == wanted.Value));
    }

    private static (string Name, HashSet<(string, string)> Labels, double? Value)? Parse(string line)
    {
        var match = SampleLine().Match(line.Trim());
        if (!match.Success)
            return null;
        var labels = LabelPair().Matches(match.Groups["labels"].Value).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToHashSet();
        double? value = match.Groups["value"].Success ? double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) : null;
        return (match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?(\s+(?<value>[^\s]+))?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
