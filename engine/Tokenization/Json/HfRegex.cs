using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>
/// A tokenizer.json regex (written for Rust's fancy-regex / Oniguruma) run by .NET's Regex with the source's
/// code-point semantics. Two differences are handled explicitly:
/// <list type="bullet">
/// <item>Syntax .NET lacks is translated: possessive quantifiers (<c>x?+</c>, <c>x++</c>, <c>x*+</c>, <c>x{n}+</c>)
/// become atomic groups, <c>\pL</c> becomes <c>\p{L}</c>, <c>\x{HHHH}</c> becomes <c>\uHHHH</c>.</item>
/// <item>.NET matches UTF-16 code units, so a letter outside the BMP (𝔘, 𠮷) would be two \p{Cs} units. Text with
/// surrogate pairs is matched through a stand-in string where each pair is one BMP character of the same Unicode
/// category, and the match offsets are mapped back.</item>
/// </list>
/// Anything else .NET rejects fails at load, naming the pattern.
/// </summary>
internal sealed class HfRegex
{
    private readonly Regex _regex;

    private HfRegex(Regex regex, string pattern)
    {
        _regex = regex;
        Pattern = pattern;
    }

    /// <summary>The pattern as tokenizer.json wrote it.</summary>
    public string Pattern { get; }

    public static HfRegex Create(string pattern, string source)
    {
        string translated;
        try
        {
            translated = Translate(pattern);
            return new HfRegex(new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.Compiled), pattern);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: regex '{pattern}' cannot be run by .NET ({e.Message})", e);
        }
    }

    /// <summary>Non-empty matches as (start, length) in <paramref name="text"/>'s UTF-16 indices.</summary>
    public List<(int Start, int Length)> Matches(string text)
    {
        var result = new List<(int, int)>();
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            foreach (var m in _regex.EnumerateMatches(text))
            {
                if (m.Length > 0)
                    result.Add((m.Index, m.Length));
            }
            return result;
        }
        var (proxy, starts) = StandIn(text);
        foreach (var m in _regex.EnumerateMatches(proxy))
        {
            if (m.Length > 0)
                result.Add((starts[m.Index], starts[m.Index + m.Length] - starts[m.Index]));
        }
        return result;
    }

    public string Replace(string text, string content)
    {
        var sb = new StringBuilder(text.Length);
        var last = 0;
        foreach (var (start, length) in Matches(text))
        {
            sb.Append(text, last, start - last).Append(content);
            last = start + length;
        }
        return sb.Append(text, last, text.Length - last).ToString();
    }

    // One char per code point; starts[i] is the index in text where stand-in char i begins.
    private static (string Proxy, int[] Starts) StandIn(string text)
    {
        var proxy = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                proxy.Append(Representative(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else
            {
                proxy.Append(text[i]);
            }
        }
        starts.Add(text.Length);
        return (proxy.ToString(), starts.ToArray());
    }

    // A BMP character of each category that no tokenizer pattern names literally.
    private static char Representative(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00E0',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00D7',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u02C2',
        UnicodeCategory.OtherSymbol => '\u00A9',
        _ => '\u0378', // unassigned
    };

    /// <summary>Rewrites the Rust/Oniguruma constructs .NET lacks; everything else is copied.</summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var groups = new Stack<int>();
        var atomStart = -1;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                atomStart = sb.Length;
                i = CopyEscape(pattern, i, sb);
            }
            else if (c == '[')
            {
                atomStart = sb.Length;
                i = CopyClass(pattern, i, sb);
            }
            else if (c == '(')
            {
                i = CopyGroupOpening(pattern, i, sb, groups);
                atomStart = -1;
            }
            else if (c == ')')
            {
                atomStart = groups.Count > 0 ? groups.Pop() : -1;
                sb.Append(c);
                i++;
            }
            else if (c is '?' or '*' or '+' || (c == '{' && i + 1 < pattern.Length && char.IsAsciiDigit(pattern[i + 1])))
            {
                var end = c == '{' ? pattern.IndexOf('}', i) + 1 : i + 1;
                if (end <= 0)
                    throw new ArgumentException($"unterminated quantifier at {i}");
                var quantifier = pattern[i..end];
                if (end < pattern.Length && pattern[end] == '+' && atomStart >= 0)
                {
                    // Possessive: the atom and its quantifier, matched once and never backtracked into.
                    sb.Insert(atomStart, "(?>").Append(quantifier).Append(')');
                    end++;
                }
                else
                {
                    sb.Append(quantifier);
                }
                atomStart = -1;
                i = end;
            }
            else
            {
                atomStart = sb.Length;
                var length = char.IsHighSurrogate(c) && i + 1 < pattern.Length ? 2 : 1;
                sb.Append(pattern, i, length);
                i += length;
            }
        }
        return sb.ToString();
    }

    private static int CopyEscape(string p, int i, StringBuilder sb)
    {
        if (i + 1 >= p.Length)
            throw new ArgumentException("pattern ends with a backslash");
        var next = p[i + 1];
        if (next is 'p' or 'P' && i + 2 < p.Length && p[i + 2] != '{')
        {
            sb.Append('\\').Append(next).Append('{').Append(p[i + 2]).Append('}');
            return i + 3;
        }
        if (next == 'x' && i + 2 < p.Length && p[i + 2] == '{')
        {
            var close = p.IndexOf('}', i);
            var value = Convert.ToInt32(p[(i + 3)..close], 16);
            if (value > 0xFFFF)
                throw new ArgumentException($"\\x{{{value:X}}} is outside the BMP");
            sb.Append($"\\u{value:X4}");
            return close + 1;
        }
        if (next is 'p' or 'P')
        {
            var close = p.IndexOf('}', i);
            sb.Append(p, i, close - i + 1);
            return close + 1;
        }
        sb.Append(p, i, 2);
        return i + 2;
    }

    private static int CopyClass(string p, int i, StringBuilder sb)
    {
        sb.Append('[');
        i++;
        if (i < p.Length && p[i] == '^')
            sb.Append(p[i++]);
        if (i < p.Length && p[i] == ']')
            sb.Append(p[i++]); // a leading ']' is a literal
        while (i < p.Length && p[i] != ']')
        {
            if (p[i] == '\\')
                i = CopyEscape(p, i, sb);
            else if (p[i] == '[' || (p[i] == '&' && i + 1 < p.Length && p[i + 1] == '&'))
                throw new ArgumentException($"nested class or class intersection at {i} is not supported");
            else
                sb.Append(p[i++]);
        }
        if (i >= p.Length)
            throw new ArgumentException("unterminated character class");
        sb.Append(']');
        return i + 1;
    }

    // "(", "(?:", "(?i:", "(?=", "(?!", "(?<=", "(?<!", "(?<name>", "(?>" open a group; "(?i)" sets flags only.
    private static int CopyGroupOpening(string p, int i, StringBuilder sb, Stack<int> groups)
    {
        var start = sb.Length;
        if (i + 1 >= p.Length || p[i + 1] != '?')
        {
            groups.Push(start);
            sb.Append('(');
            return i + 1;
        }
        var j = i + 2;
        while (j < p.Length && (char.IsAsciiLetter(p[j]) || p[j] == '-'))
            j++;
        if (j < p.Length && p[j] == ')')
        {
            sb.Append(p, i, j - i + 1);
            return j + 1;
        }
        if (j < p.Length && p[j] == '<' && j + 1 < p.Length && p[j + 1] is not ('=' or '!'))
        {
            var close = p.IndexOf('>', j);
            j = close;
        }
        else if (j < p.Length && p[j] == '<')
        {
            j++;
        }
        groups.Push(start);
        sb.Append(p, i, j - i + 1);
        return j + 1;
    }
}
