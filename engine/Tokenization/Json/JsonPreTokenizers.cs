using System.Text.Json;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>
/// One tokenizer.json pre-tokenizer: splits (and for ByteLevel / Metaspace, rewrites) a piece of normalized text.
/// Microsoft.ML.Tokenizers' PreTokenizer can only return ranges of its input, so the rewriting steps live here.
/// </summary>
internal interface IPreTokenizerStep
{
    /// <param name="firstSection">Whether the piece's text starts the input (no added token before it).</param>
    void Split(string piece, bool firstSection, List<string> output);
}

/// <summary>
/// Builds the "pre_tokenizer" section: Sequence, Split (Isolated / Removed / MergedWithPrevious / MergedWithNext /
/// Contiguous, invert), ByteLevel (add_prefix_space, use_regex), Digits (individual_digits) and Metaspace
/// (replacement, prepend_scheme, split), with Hugging Face tokenizers' semantics. Any other type fails at load.
/// </summary>
internal static class JsonPreTokenizers
{
    private static readonly Lazy<HfRegex> Gpt2 = new(() => HfRegex.Create(BundleTokenizer.Gpt2PreTokenizerPattern, "GPT-2 pattern"));

    public static IPreTokenizerStep? Parse(JsonElement section, string source)
    {
        if (section.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        var type = section.RequiredString("type", source, "pre_tokenizer");
        return type switch
        {
            "Sequence" => new SequenceStep(section.RequiredArray("pretokenizers", source, "pre_tokenizer")
                .Select(p => Parse(p, source)).OfType<IPreTokenizerStep>().ToArray()),
            "Split" => new SplitStep(JsonPattern.Parse(section, source, "Split pre_tokenizer"),
                ParseBehavior(section.RequiredString("behavior", source, "Split pre_tokenizer"), source),
                section.OptionalBool("invert") ?? false),
            "ByteLevel" => new ByteLevelStep(section.OptionalBool("add_prefix_space") ?? true, section.OptionalBool("use_regex") ?? true),
            "Digits" => new DigitsStep(section.OptionalBool("individual_digits") ?? false),
            "Metaspace" => ParseMetaspace(section, source),
            _ => throw new InvalidDataException($"{source}: pre_tokenizer type '{type}' is not supported"),
        };
    }

    /// <summary>Whether the section maps text to GPT-2's byte alphabet (a ByteLevel step, alone or in a Sequence).</summary>
    public static bool HasByteLevel(JsonElement section) =>
        section.ValueKind == JsonValueKind.Object && section.OptionalString("type") switch
        {
            "ByteLevel" => true,
            "Sequence" => section.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().Any(HasByteLevel),
            _ => false,
        };

    internal enum Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous }

    private static Behavior ParseBehavior(string value, string source) => value switch
    {
        "Isolated" => Behavior.Isolated,
        "Removed" => Behavior.Removed,
        "MergedWithPrevious" => Behavior.MergedWithPrevious,
        "MergedWithNext" => Behavior.MergedWithNext,
        "Contiguous" => Behavior.Contiguous,
        _ => throw new InvalidDataException($"{source}: Split behavior '{value}' is not supported"),
    };

    private static IPreTokenizerStep ParseMetaspace(JsonElement section, string source)
    {
        var replacement = section.RequiredString("replacement", source, "Metaspace pre_tokenizer");
        // Older files write add_prefix_space instead of prepend_scheme.
        var scheme = section.OptionalString("prepend_scheme")
            ?? ((section.OptionalBool("add_prefix_space") ?? true) ? "always" : "never");
        if (scheme is not ("always" or "first" or "never"))
            throw new InvalidDataException($"{source}: Metaspace prepend_scheme '{scheme}' is not supported");
        return new MetaspaceStep(replacement, scheme, section.OptionalBool("split") ?? true);
    }

    /// <summary>Cuts text at the given matches and groups the pieces as the behavior says (tokenizers' split()).</summary>
    internal static void SplitAt(string text, List<(int Start, int Length)> matches, bool invert, Behavior behavior, List<string> output)
    {
        var pieces = new List<(int Start, int End, bool IsMatch)>();
        var last = 0;
        foreach (var (start, length) in matches)
        {
            if (start > last)
                pieces.Add((last, start, invert));
            pieces.Add((start, start + length, !invert));
            last = start + length;
        }
        if (last < text.Length)
            pieces.Add((last, text.Length, invert));

        var merged = new List<(int Start, int End)>();
        var previousMatch = false;
        if (behavior == Behavior.MergedWithNext)
        {
            for (var i = pieces.Count - 1; i >= 0; i--)
            {
                var p = pieces[i];
                if (p.IsMatch && !previousMatch && merged.Count > 0)
                    merged[^1] = (p.Start, merged[^1].End);
                else
                    merged.Add((p.Start, p.End));
                previousMatch = p.IsMatch;
            }
            merged.Reverse();
        }
        else
        {
            foreach (var p in pieces)
            {
                var join = behavior switch
                {
                    Behavior.MergedWithPrevious => p.IsMatch && !previousMatch,
                    Behavior.Contiguous => p.IsMatch == previousMatch,
                    _ => false,
                };
                if (behavior == Behavior.Removed && p.IsMatch)
                    continue;
                if (join && merged.Count > 0)
                    merged[^1] = (merged[^1].Start, p.End);
                else
                    merged.Add((p.Start, p.End));
                previousMatch = p.IsMatch;
            }
        }
        foreach (var (start, end) in merged)
        {
            if (end > start)
                output.Add(text[start..end]);
        }
    }

    private sealed class SequenceStep(IReadOnlyList<IPreTokenizerStep> steps) : IPreTokenizerStep
    {
        public void Split(string piece, bool firstSection, List<string> output)
        {
            List<string> current = [piece];
            foreach (var step in steps)
            {
                var next = new List<string>(current.Count * 2);
                foreach (var p in current)
                    step.Split(p, firstSection, next);
                current = next;
            }
            output.AddRange(current);
        }
    }

    private sealed class SplitStep(JsonPattern pattern, Behavior behavior, bool invert) : IPreTokenizerStep
    {
        public void Split(string piece, bool firstSection, List<string> output) =>
            SplitAt(piece, pattern.Matches(piece), invert, behavior, output);
    }

    private sealed class ByteLevelStep(bool addPrefixSpace, bool useRegex) : IPreTokenizerStep
    {
        public void Split(string piece, bool firstSection, List<string> output)
        {
            if (addPrefixSpace && !piece.StartsWith(' '))
                piece = " " + piece;
            if (!useRegex)
            {
                output.Add(ByteLevelAlphabet.Encode(piece));
                return;
            }
            var words = new List<string>();
            SplitAt(piece, Gpt2.Value.Matches(piece), false, Behavior.Isolated, words);
            foreach (var word in words)
                output.Add(ByteLevelAlphabet.Encode(word));
        }
    }

    // tokenizers' Digits: ASCII digits split off, one by one or as runs.
    private sealed class DigitsStep(bool individual) : IPreTokenizerStep
    {
        public void Split(string piece, bool firstSection, List<string> output)
        {
            var matches = new List<(int, int)>();
            for (var i = 0; i < piece.Length; i++)
            {
                if (char.IsAsciiDigit(piece[i]))
                    matches.Add((i, 1));
            }
            SplitAt(piece, matches, false, individual ? Behavior.Isolated : Behavior.Contiguous, output);
        }
    }

    private sealed class MetaspaceStep(string replacement, string scheme, bool split) : IPreTokenizerStep
    {
        public void Split(string piece, bool firstSection, List<string> output)
        {
            piece = piece.Replace(" ", replacement, StringComparison.Ordinal);
            var prepend = scheme == "always" || (scheme == "first" && firstSection);
            if (prepend && !piece.StartsWith(replacement, StringComparison.Ordinal))
                piece = replacement + piece;
            if (!split)
            {
                output.Add(piece);
                return;
            }
            var matches = new List<(int, int)>();
            for (var at = piece.IndexOf(replacement, StringComparison.Ordinal); at >= 0;
                 at = piece.IndexOf(replacement, at + replacement.Length, StringComparison.Ordinal))
                matches.Add((at, replacement.Length));
            SplitAt(piece, matches, false, Behavior.MergedWithNext, output);
        }
    }
}
