using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AscendAio.Engine.Templates;

/// <summary>
/// Splits a template into tokens the way the reference renderer does: Hugging Face's trim_blocks and
/// lstrip_blocks, one trailing newline dropped, <c>{%-</c>/<c>-%}</c> whitespace control, and the
/// transformers-only <c>{% generation %}</c> markers removed. Every token keeps its source line.
/// </summary>
internal static partial class Lexer
{
    [GeneratedRegex(@"^[ \t]*(\{[#%-])", RegexOptions.Multiline)]
    private static partial Regex LstripBlocks();

    [GeneratedRegex(@"([#%-]\})\n")]
    private static partial Regex TrimBlocks();

    [GeneratedRegex(@"(\s*)\{%(-?)\s*(?:end)?generation\s*(-?)%\}(\s*)")]
    private static partial Regex GenerationTag();

    private static readonly string[] Operators =
        ["(", ")", "{", "}", "[", "]", ",", ".", ":", "|", "<=", ">=", "==", "!=", "<", ">", "+", "-", "~", "**", "*", "//", "/", "%", "="];

    public static List<Token> Tokenize(string source)
    {
        var (src, lines) = Preprocess(source);
        var tokens = new List<Token>();
        var pos = 0;
        var curlyDepth = 0;
        int Line(int at) => lines.Length == 0 ? 1 : lines[Math.Min(at, lines.Length - 1)];
        bool At(string s) => string.CompareOrdinal(src, pos, s, 0, s.Length) == 0;
        void Add(TokenKind kind, string value, int at) => tokens.Add(new Token(kind, value, Line(at)));
        ChatTemplateParseException Error(string message) => new(message, Line(pos));

        void StripTrailingWhitespace()
        {
            if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.Text) return;
            var trimmed = JsText.TrimEnd(tokens[^1].Value);
            if (trimmed.Length == 0) tokens.RemoveAt(tokens.Count - 1);
            else tokens[^1] = tokens[^1] with { Value = trimmed };
        }

        void SkipLeadingWhitespace()
        {
            while (pos < src.Length && JsText.IsWhite(src[pos])) pos++;
        }

        while (pos < src.Length)
        {
            var last = tokens.Count == 0 ? (TokenKind?)null : tokens[^1].Kind;
            if (last is null or TokenKind.CloseStatement or TokenKind.CloseExpression or TokenKind.Comment)
            {
                var start = pos;
                while (pos < src.Length && !(src[pos] == '{' && pos + 1 < src.Length && src[pos + 1] is '%' or '{' or '#')) pos++;
                if (pos > start)
                {
                    Add(TokenKind.Text, src[start..pos], start);
                    continue;
                }
            }

            if (At("{#"))
            {
                var start = pos;
                pos += 2;
                var stripBefore = pos < src.Length && src[pos] == '-';
                if (stripBefore) pos++;
                var end = src.IndexOf("#}", pos, StringComparison.Ordinal);
                if (end < 0) throw Error("comment is never closed with '#}'");
                var comment = src[pos..end];
                var stripAfter = comment.EndsWith('-');
                if (stripBefore) StripTrailingWhitespace();
                Add(TokenKind.Comment, stripAfter ? comment[..^1] : comment, start);
                pos = end + 2;
                if (stripAfter) SkipLeadingWhitespace();
                continue;
            }

            if (At("{%-") || At("{{-"))
            {
                StripTrailingWhitespace();
                Add(src[pos + 1] == '%' ? TokenKind.OpenStatement : TokenKind.OpenExpression, src.Substring(pos, 2), pos);
                curlyDepth = 0;
                pos += 3;
                continue;
            }

            SkipLeadingWhitespace();
            if (pos >= src.Length) break;
            if (At("-%}") || At("-}}"))
            {
                Add(src[pos + 1] == '%' ? TokenKind.CloseStatement : TokenKind.CloseExpression, src.Substring(pos + 1, 2), pos);
                pos += 3;
                SkipLeadingWhitespace();
                continue;
            }

            var c = src[pos];
            if (c is '-' or '+' && SignStartsOperand(tokens))
            {
                if (tokens.Count == 0 || tokens[^1].Kind == TokenKind.Text) throw Error($"unexpected character '{c}'");
                var start = pos++;
                var number = ReadNumber(src, ref pos);
                if (number.Length > 0) Add(TokenKind.Number, c + number, start);
                else Add(TokenKind.Operator, c.ToString(), start);
                continue;
            }

            if (At("{%") || At("{{") || At("%}") || (At("}}") && curlyDepth == 0))
            {
                var kind = src.Substring(pos, 2) switch
                {
                    "{%" => TokenKind.OpenStatement,
                    "{{" => TokenKind.OpenExpression,
                    "%}" => TokenKind.CloseStatement,
                    _ => TokenKind.CloseExpression,
                };
                if (kind == TokenKind.OpenExpression) curlyDepth = 0;
                Add(kind, src.Substring(pos, 2), pos);
                pos += 2;
                continue;
            }

            var op = Operators.FirstOrDefault(At);
            if (op is not null)
            {
                if (op == "{") curlyDepth++;
                else if (op == "}") curlyDepth--;
                Add(TokenKind.Operator, op, pos);
                pos += op.Length;
                continue;
            }

            if (c is '\'' or '"')
            {
                var start = pos++;
                Add(TokenKind.String, ReadString(src, ref pos, c, Error), start);
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var start = pos;
                var afterDot = tokens.Count > 0 && tokens[^1].IsOperator(".");
                Add(TokenKind.Number, afterDot ? ReadDigits(src, ref pos) : ReadNumber(src, ref pos), start);
                continue;
            }

            if (IsWord(c))
            {
                var start = pos;
                while (pos < src.Length && IsWord(src[pos])) pos++;
                Add(TokenKind.Identifier, src[start..pos], start);
                continue;
            }

            throw Error($"unexpected character '{c}'");
        }

        return tokens;
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // After an operand a sign is a binary operator; elsewhere it is unary (and may start a number).
    private static bool SignStartsOperand(List<Token> tokens)
    {
        if (tokens.Count == 0) return true;
        var last = tokens[^1];
        return !(last.Kind is TokenKind.Identifier or TokenKind.Number or TokenKind.String || last.IsOperator(")") || last.IsOperator("]"));
    }

    private static string ReadDigits(string src, ref int pos)
    {
        var start = pos;
        while (pos < src.Length && char.IsAsciiDigit(src[pos])) pos++;
        return src[start..pos];
    }

    private static string ReadNumber(string src, ref int pos)
    {
        var number = ReadDigits(src, ref pos);
        if (number.Length > 0 && pos + 1 < src.Length && src[pos] == '.' && char.IsAsciiDigit(src[pos + 1]))
        {
            pos++;
            number += "." + ReadDigits(src, ref pos);
        }
        return number;
    }

    private static string ReadString(string src, ref int pos, char quote, Func<string, ChatTemplateParseException> error)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= src.Length) throw error("string literal is never closed");
            var c = src[pos++];
            if (c == quote) return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (pos >= src.Length) throw error("string literal is never closed");
            var e = src[pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\'' or '"' or '\\': sb.Append(e); break;
                case 'x' or 'u':
                    var length = e == 'x' ? 2 : 4;
                    if (pos + length > src.Length || !int.TryParse(src.AsSpan(pos, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw error($"invalid escape sequence '\\{e}' in string literal");
                    sb.Append((char)code);
                    pos += length;
                    break;
                default: throw error($"unsupported escape sequence '\\{e}' in string literal");
            }
        }
    }

    // The reference's preprocessing, done with a line map so errors still name source lines.
    private static (string Text, int[] Lines) Preprocess(string source)
    {
        var lines = new int[source.Length];
        for (int i = 0, line = 1; i < source.Length; i++)
        {
            lines[i] = line;
            if (source[i] == '\n') line++;
        }
        var text = source;
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
            lines = lines[..^1];
        }
        (text, lines) = Rewrite(text, lines, LstripBlocks(), m => [m.Groups[1]]);
        (text, lines) = Rewrite(text, lines, TrimBlocks(), m => [m.Groups[1]]);
        (text, lines) = Rewrite(text, lines, GenerationTag(), m =>
            (m.Groups[2].Length > 0 ? Array.Empty<Group>() : [m.Groups[1]]).Concat(m.Groups[3].Length > 0 ? [] : [m.Groups[4]]).ToArray());
        return (text, lines);
    }

    private static (string, int[]) Rewrite(string text, int[] lines, Regex regex, Func<Match, Group[]> keep)
    {
        var sb = new StringBuilder(text.Length);
        var map = new List<int>(lines.Length);
        var at = 0;
        void Copy(int start, int length)
        {
            sb.Append(text, start, length);
            for (var i = start; i < start + length; i++) map.Add(lines[i]);
        }
        foreach (Match m in regex.Matches(text))
        {
            Copy(at, m.Index - at);
            foreach (var g in keep(m)) Copy(g.Index, g.Length);
            at = m.Index + m.Length;
        }
        Copy(at, text.Length - at);
        return (sb.ToString(), map.ToArray());
    }
}
