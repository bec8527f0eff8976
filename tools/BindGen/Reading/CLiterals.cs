using System.Text;

namespace AscendAio.BindGen.Reading;

/// <summary>Reads C literal tokens: integer suffixes and hex digits, string escapes.</summary>
internal static class CLiterals
{
    /// <summary>For a hex integer token such as 0x0001ULL: the C# spelling without the C suffix ("0x0001").</summary>
    public static bool TryHexDigits(string token, out string hex)
    {
        hex = "";
        if (token.Length < 3 || token[0] != '0' || (token[1] != 'x' && token[1] != 'X'))
            return false;
        var end = token.Length;
        while (end > 2 && "uUlL".Contains(token[end - 1]))
            end--;
        var digits = token[2..end];
        if (digits.Length == 0 || !digits.All(Uri.IsHexDigit))
            return false;
        hex = token[..end];
        return true;
    }

    public static bool IsStringLiteral(string token) => token.Length >= 2 && token[0] == '"' && token[^1] == '"';

    /// <summary>The text of a plain (narrow, UTF-8) C string literal token, escapes decoded.</summary>
    public static string DecodeString(string token)
    {
        if (!IsStringLiteral(token))
            throw new GeneratorException($"{token} is not a narrow string literal (L\"\", u\"\" and U\"\" are not supported)");
        var bytes = new List<byte>();
        var body = token[1..^1];
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            if (++i >= body.Length)
                throw new GeneratorException($"string literal {token} ends inside an escape");
            var e = body[i];
            switch (e)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'v': bytes.Add(11); break;
                case '\\': case '\'': case '"': case '?': bytes.Add((byte)e); break;
                case 'x':
                {
                    var start = i + 1;
                    var end = start;
                    while (end < body.Length && Uri.IsHexDigit(body[end]))
                        end++;
                    if (end == start)
                        throw new GeneratorException($"string literal {token} has \\x without hex digits");
                    bytes.Add((byte)Convert.ToInt32(body[start..end], 16));
                    i = end - 1;
                    break;
                }
                case >= '0' and <= '7':
                {
                    var end = i;
                    while (end < body.Length && end < i + 3 && body[end] is >= '0' and <= '7')
                        end++;
                    bytes.Add((byte)Convert.ToInt32(body[i..end], 8));
                    i = end - 1;
                    break;
                }
                default:
                    throw new GeneratorException($"string literal {token} has an unknown escape \\{e}");
            }
        }
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new GeneratorException($"string literal {token} is not valid UTF-8 once its escapes are decoded");
        }
    }
}
