using System.Globalization;
using System.Text.RegularExpressions;
using AscendAio.Tasks.Tiny;

namespace AscendAio.Tasks.Scoring;

/// <summary>
/// Scores a model's completion against an item. Any text is accepted: garbage completions score
/// false, they never throw. Only items that need an absent external interpreter are unscorable.
/// </summary>
public sealed partial class TaskScorer(PythonRunner? python = null)
{
    public const string EndOfSequence = "<|eos|>";

    /// <summary>False when scoring the item needs something this scorer lacks (a Python interpreter).</summary>
    public bool CanScore(TaskItem item) => item.Scorer.Kind switch
    {
        "python-exec" => python is not null,
        "unscorable" => false,
        _ => true,
    };

    /// <exception cref="InvalidOperationException">The item is not scorable here (see <see cref="CanScore"/>).</exception>
    public bool Score(TaskItem item, string completion)
    {
        ArgumentNullException.ThrowIfNull(item);
        string text = StripEndOfSequence(completion ?? "");
        var s = item.Scorer;
        return s.Kind switch
        {
            "tiny-exec" => ScoreTiny(s, text),
            "exact" => NormalizeShort(FirstLine(text)) == NormalizeShort(s.Gold ?? ""),
            "number" => FinalNumber(text) is decimal n && decimal.TryParse(s.Gold, NumberStyles.Number, CultureInfo.InvariantCulture, out var g) && n == g,
            "letter" => ExtractLetter(text) is string l && string.Equals(l, s.Gold?.Trim(), StringComparison.OrdinalIgnoreCase),
            "category" => string.Equals(StripMarkers(text.Trim()), s.Gold, StringComparison.OrdinalIgnoreCase),
            "python-exec" => python is not null
                ? python.Passes(item, text)
                : throw new InvalidOperationException($"item '{item.Id}' needs a Python interpreter to score (not scorable here)"),
            _ => throw new InvalidOperationException($"item '{item.Id}' has unknown scorer kind '{s.Kind}'"),
        };
    }

    public static string StripEndOfSequence(string completion)
    {
        int eos = completion.IndexOf(EndOfSequence, StringComparison.Ordinal);
        return eos >= 0 ? completion[..eos] : completion;
    }

    private static bool ScoreTiny(ScorerData s, string text)
    {
        if (s.Parameters is null || s.Inputs is null || s.Expected is null || s.Inputs.Length != s.Expected.Length)
            throw new InvalidOperationException("tiny-exec scorer data needs parameters, inputs and expected of equal length");
        TinyProgram program;
        try
        {
            program = TinyProgram.Parse(text);
        }
        catch (TinyException)
        {
            return false;
        }
        for (int i = 0; i < s.Inputs.Length; i++)
        {
            if (s.Inputs[i].Length != s.Parameters.Length)
                throw new InvalidOperationException($"tiny-exec test {i} has {s.Inputs[i].Length} arguments for {s.Parameters.Length} parameters");
            try
            {
                if (program.Run(s.Parameters, s.Inputs[i]) != s.Expected[i])
                    return false;
            }
            catch (TinyException)
            {
                return false;
            }
        }
        return true;
    }

    private static string FirstLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!string.IsNullOrWhiteSpace(line))
                return line;
        }
        return "";
    }

    private static string NormalizeShort(string s) =>
        Whitespace().Replace(s.Trim().TrimEnd('.', '!', '?').Trim(), " ").ToLowerInvariant();

    /// <summary>GSM8K convention: the number after "####" if present, else the last number in the text.</summary>
    public static decimal? FinalNumber(string text)
    {
        int hashes = text.LastIndexOf("####", StringComparison.Ordinal);
        string tail = hashes >= 0 ? text[(hashes + 4)..] : text;
        var matches = Number().Matches(tail);
        if (matches.Count == 0)
            return null;
        string raw = (hashes >= 0 ? matches[0] : matches[^1]).Value.Replace(",", "");
        return decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The first standalone option letter A-D, e.g. "B", "(B)", "B) Marlow", "Answer: B".</summary>
    public static string? ExtractLetter(string text)
    {
        var m = Letter().Match(text);
        return m.Success ? m.Groups[1].Value.ToUpperInvariant() : null;
    }

    private static string StripMarkers(string s) => s.StartsWith("<|", StringComparison.Ordinal) && s.EndsWith("|>", StringComparison.Ordinal) ? s[2..^2] : s;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"-?\d[\d,]*(\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"(?<![A-Za-z])([A-Da-d])(?![A-Za-z])")]
    private static partial Regex Letter();
}
