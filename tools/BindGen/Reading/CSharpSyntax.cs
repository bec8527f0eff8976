using System.Globalization;
using System.Text;

namespace AscendAio.BindGen.Reading;

/// <summary>C# spelling rules: keyword escaping, integer types by range, literals.</summary>
internal static class CSharpSyntax
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    ];

    /// <summary>The C name as a C# identifier: unchanged, or prefixed with @ when it is a C# keyword.</summary>
    public static string Identifier(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>The smallest of int, uint, long, ulong that holds the value (the same rule C# uses for literals).</summary>
    public static string IntegerType(Int128 value) =>
        value >= int.MinValue && value <= int.MaxValue ? "int"
        : value >= 0 && value <= uint.MaxValue ? "uint"
        : value >= long.MinValue && value <= long.MaxValue ? "long"
        : value >= 0 && value <= ulong.MaxValue ? "ulong"
        : throw new GeneratorException($"integer {value} does not fit in 64 bits");

    /// <summary>The underlying type an enum needs: int unless a value does not fit.</summary>
    public static string EnumUnderlyingType(IEnumerable<Int128> values)
    {
        var list = values.ToList();
        if (list.All(v => v >= int.MinValue && v <= int.MaxValue)) return "int";
        if (list.All(v => v >= 0 && v <= uint.MaxValue)) return "uint";
        if (list.All(v => v >= long.MinValue && v <= long.MaxValue)) return "long";
        if (list.All(v => v >= 0 && v <= ulong.MaxValue)) return "ulong";
        throw new GeneratorException("enum values do not fit one 64-bit integer type");
    }

    /// <summary>
    /// The C# literal for an integer: the C token's hex digits when the C spelled it as a plain hex literal
    /// (so flags read as in the header), the decimal value otherwise.
    /// </summary>
    public static string IntegerLiteral(Int128 value, string? cToken)
    {
        if (cToken is not null && CLiterals.TryHexDigits(cToken, out var hex))
            return hex;
        return value.ToString(CultureInfo.InvariantCulture);
    }

    public static string DoubleLiteral(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new GeneratorException($"floating constant {value} has no C# literal");
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    public static string FloatLiteral(double value) => DoubleLiteral((float)value) + "f";

    public static string StringLiteral(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\0': builder.Append(@"\0"); break;
                default:
                    if (char.IsControl(c))
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }
}
