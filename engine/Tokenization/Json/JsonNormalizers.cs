using System.Text;
using System.Text.Json;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>One tokenizer.json normalizer: text to text, applied to each stretch of text between added tokens.</summary>
internal interface ITextNormalizer
{
    string Normalize(string text);
}

/// <summary>
/// Builds the "normalizer" section: NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Strip and Sequence
/// (what Qwen's NFC and the SentencePiece-style Prepend + Replace need). Any other type fails at load.
/// </summary>
internal static class JsonNormalizers
{
    public static ITextNormalizer? Parse(JsonElement section, string source)
    {
        if (section.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        var type = section.RequiredString("type", source, "normalizer");
        return type switch
        {
            "Sequence" => new SequenceNormalizer(section.RequiredArray("normalizers", source, "normalizer")
                .Select(n => Parse(n, source)).OfType<ITextNormalizer>().ToArray()),
            "NFC" => new FuncNormalizer(UnicodeNormalization.Nfc),
            "NFD" => new FuncNormalizer(UnicodeNormalization.Nfd),
            "NFKC" => Compatibility(NormalizationForm.FormKC, type, source),
            "NFKD" => Compatibility(NormalizationForm.FormKD, type, source),
            "Lowercase" => new FuncNormalizer(t => t.ToLowerInvariant()),
            "Prepend" => new PrependNormalizer(section.RequiredString("prepend", source, "Prepend normalizer")),
            "Replace" => new ReplaceNormalizer(JsonPattern.Parse(section, source, "Replace normalizer"),
                section.RequiredString("content", source, "Replace normalizer")),
            "Strip" => new StripNormalizer(section.OptionalBool("strip_left") ?? true, section.OptionalBool("strip_right") ?? true),
            _ => throw new InvalidDataException($"{source}: normalizer type '{type}' is not supported"),
        };
    }

    // Compatibility forms need the runtime's tables, which invariant-globalization mode lacks; refuse rather than skip.
    private static ITextNormalizer Compatibility(NormalizationForm form, string type, string source)
    {
        if ("\uFB01".Normalize(form) != "fi")
            throw new InvalidDataException(
                $"{source}: normalizer type '{type}' needs the runtime's Unicode tables, which this process (invariant globalization) lacks");
        return new FuncNormalizer(t => t.Normalize(form));
    }

    private sealed class FuncNormalizer(Func<string, string> normalize) : ITextNormalizer
    {
        public string Normalize(string text) => normalize(text);
    }

    private sealed class SequenceNormalizer(IReadOnlyList<ITextNormalizer> steps) : ITextNormalizer
    {
        public string Normalize(string text)
        {
            foreach (var step in steps)
                text = step.Normalize(text);
            return text;
        }
    }

    private sealed class PrependNormalizer(string prefix) : ITextNormalizer
    {
        public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
    }

    private sealed class ReplaceNormalizer(JsonPattern pattern, string content) : ITextNormalizer
    {
        public string Normalize(string text) => pattern.Replace(text, content);
    }

    private sealed class StripNormalizer(bool left, bool right) : ITextNormalizer
    {
        public string Normalize(string text) => (left, right) switch
        {
            (true, true) => text.Trim(),
            (true, false) => text.TrimStart(),
            (false, true) => text.TrimEnd(),
            _ => text,
        };
    }
}

/// <summary>A tokenizer.json "pattern": {"String": literal} or {"Regex": pattern}.</summary>
internal sealed class JsonPattern
{
    private readonly string? _literal;
    private readonly HfRegex? _regex;

    private JsonPattern(string? literal, HfRegex? regex)
    {
        _literal = literal;
        _regex = regex;
    }

    public static JsonPattern Parse(JsonElement owner, string source, string context)
    {
        if (!owner.TryGetProperty("pattern", out var pattern) || pattern.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{source}: {context} has no 'pattern' object");
        if (pattern.TryGetProperty("String", out var literal) && literal.ValueKind == JsonValueKind.String)
            return new JsonPattern(literal.GetString()!, null);
        if (pattern.TryGetProperty("Regex", out var regex) && regex.ValueKind == JsonValueKind.String)
            return new JsonPattern(null, HfRegex.Create(regex.GetString()!, source));
        throw new InvalidDataException($"{source}: {context} 'pattern' must hold 'String' or 'Regex'");
    }

    public List<(int Start, int Length)> Matches(string text)
    {
        if (_regex is not null)
            return _regex.Matches(text);
        var result = new List<(int, int)>();
        if (_literal!.Length == 0)
            return result;
        for (var at = text.IndexOf(_literal, StringComparison.Ordinal); at >= 0;
             at = text.IndexOf(_literal, at + _literal.Length, StringComparison.Ordinal))
            result.Add((at, _literal.Length));
        return result;
    }

    public string Replace(string text, string content) => _regex is not null
        ? _regex.Replace(text, content)
        : _literal!.Length == 0 ? text : text.Replace(_literal, content, StringComparison.Ordinal);
}
