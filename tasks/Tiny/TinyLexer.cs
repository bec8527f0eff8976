namespace AscendAio.Tasks.Tiny;

internal enum TokenKind { Number, Name, Keyword, Symbol, Newline, End }

internal readonly record struct Token(TokenKind Kind, string Text, long Value, int Line);

/// <summary>Splits Tiny source into tokens; newlines are statement separators and kept as tokens.</summary>
internal static class TinyLexer
{
    private static readonly HashSet<string> Keywords =
        ["let", "if", "then", "else", "end", "for", "to", "do", "while", "return", "and", "or", "not"];

    private static readonly string[] TwoCharSymbols = ["==", "!=", "<=", ">="];

    public static List<Token> Tokenize(string source, int maxTokens)
    {
        var tokens = new List<Token>();
        int line = 1, i = 0;
        while (i < source.Length)
        {
            if (tokens.Count > maxTokens)
                throw new TinyException($"program longer than {maxTokens} tokens", line);
            char c = source[i];
            if (c == '\n')
            {
                tokens.Add(new Token(TokenKind.Newline, "\n", 0, line));
                line++; i++;
            }
            else if (c == ' ' || c == '\t' || c == '\r')
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < source.Length && source[i] != '\n') i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                int start = i;
                while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                string text = source[start..i];
                if (!long.TryParse(text, out long value) || value > int.MaxValue)
                    throw new TinyException($"number '{Shorten(text)}' is too large", line);
                tokens.Add(new Token(TokenKind.Number, text, value, line));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) i++;
                string text = source[start..i];
                tokens.Add(new Token(Keywords.Contains(text) ? TokenKind.Keyword : TokenKind.Name, text, 0, line));
            }
            else
            {
                string? two = i + 1 < source.Length ? source.Substring(i, 2) : null;
                if (two is not null && Array.IndexOf(TwoCharSymbols, two) >= 0)
                {
                    tokens.Add(new Token(TokenKind.Symbol, two, 0, line));
                    i += 2;
                }
                else if ("+-*/%()=<>,".Contains(c))
                {
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), 0, line));
                    i++;
                }
                else
                {
                    throw new TinyException($"unexpected character '{Printable(c)}'", line);
                }
            }
        }
        tokens.Add(new Token(TokenKind.End, "", 0, line));
        return tokens;
    }

    private static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "...";

    private static string Printable(char c) => char.IsControl(c) || c > 126 ? $"\\u{(int)c:X4}" : c.ToString();
}
