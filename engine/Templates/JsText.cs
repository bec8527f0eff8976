using System.Globalization;

namespace AscendAio.Engine.Templates;

/// <summary>String helpers with the reference renderer's (JavaScript's) definitions of whitespace and number text.</summary>
internal static class JsText
{
    /// <summary>JavaScript's WhiteSpace and LineTerminator (what String.prototype.trim and /\s/ strip).</summary>
    public static bool IsWhite(char c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF'
        || (c >= '\u2000' && c <= '\u200A');

    public static string Trim(string s) => TrimEnd(TrimStart(s));

    public static string TrimStart(string s)
    {
        var i = 0;
        while (i < s.Length && IsWhite(s[i])) i++;
        return s[i..];
    }

    public static string TrimEnd(string s)
    {
        var n = s.Length;
        while (n > 0 && IsWhite(s[n - 1])) n--;
        return s[..n];
    }

    /// <summary>Python's str.strip(chars) family: with chars, strip exactly those characters.</summary>
    public static string Strip(string s, string? chars, bool start, bool end)
    {
        if (chars is null) return start && end ? Trim(s) : start ? TrimStart(s) : TrimEnd(s);
        int i = 0, n = s.Length;
        if (start) while (i < n && chars.Contains(s[i])) i++;
        if (end) while (n > i && chars.Contains(s[n - 1])) n--;
        return s[i..n];
    }

    /// <summary>Number.prototype.toString for a double (shortest round-trip text).</summary>
    public static string Number(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (d == Math.Floor(d) && Math.Abs(d) < 1e21) return ((decimal)d).ToString(CultureInfo.InvariantCulture);
        return d.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+").Replace("E-", "e-");
    }

    /// <summary>How the reference prints a float: 1.0 keeps its ".0", -0.0 keeps its sign.</summary>
    public static string Float(double d)
    {
        if (d == 0 && double.IsNegative(d)) return "-0.0";
        return d % 1 == 0 && !double.IsInfinity(d) ? ((decimal)d).ToString("0.0", CultureInfo.InvariantCulture) : Number(d);
    }
}
