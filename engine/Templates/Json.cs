using System.Globalization;
using System.Text;

namespace AscendAio.Engine.Templates;

/// <summary>
/// The <c>tojson</c> filter, and how containers print: Python's json.dumps layout (", " and ": " separators;
/// with indent, "," and a newline per item) with JavaScript's string escaping (non-ASCII kept unless ensure_ascii).
/// </summary>
internal static class Json
{
    public sealed record Options(int? Indent = null, bool EnsureAscii = false, bool SortKeys = false, (string Item, string Key)? Separators = null);

    public static string Serialize(Value value, bool undefinedAsNull = true, Options? options = null)
    {
        var sb = new StringBuilder();
        Write(sb, value, options ?? new Options(), 0, undefinedAsNull);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, Value value, Options o, int depth, bool undefinedAsNull)
    {
        var (itemSep, keySep) = o.Separators ?? (o.Indent is > 0 ? (",", ": ") : (", ", ": "));
        var indent = o.Indent is > 0 ? new string(' ', o.Indent.Value) : "";
        var basePad = "\n" + string.Concat(Enumerable.Repeat(indent, depth));
        var childPad = basePad + indent;
        switch (value)
        {
            case NoneValue: sb.Append("null"); break;
            case UndefinedValue: sb.Append(undefinedAsNull ? "null" : "undefined"); break;
            case BoolValue b: sb.Append(b.Value ? "true" : "false"); break;
            case IntValue i: sb.Append(i.Value.ToString(CultureInfo.InvariantCulture)); break;
            case FloatValue f: sb.Append(double.IsFinite(f.Value) ? JsText.Number(f.Value) : "null"); break;
            case StringValue s: WriteString(sb, s.Value, o.EnsureAscii); break;
            case ListValue l:
                sb.Append('[');
                for (var k = 0; k < l.Items.Count; k++)
                {
                    if (k > 0) sb.Append(itemSep);
                    if (indent.Length > 0) sb.Append(childPad);
                    Write(sb, l.Items[k], o, depth + 1, undefinedAsNull);
                }
                if (indent.Length > 0 && l.Items.Count > 0) sb.Append(basePad);
                sb.Append(']');
                break;
            case DictValue or NamespaceValue:
                var entries = (value as DictValue)?.Entries ?? ((NamespaceValue)value).Entries;
                IEnumerable<KeyValuePair<string, Value>> ordered = o.SortKeys ? entries.OrderBy(e => e.Key, StringComparer.Ordinal) : entries;
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in ordered)
                {
                    if (!first) sb.Append(itemSep);
                    first = false;
                    if (indent.Length > 0) sb.Append(childPad);
                    WriteString(sb, key, o.EnsureAscii);
                    sb.Append(keySep);
                    Write(sb, item, o, depth + 1, undefinedAsNull);
                }
                if (indent.Length > 0 && entries.Count > 0) sb.Append(basePad);
                sb.Append('}');
                break;
            default:
                throw new InvalidOperationException($"cannot convert {value.TypeName} to JSON");
        }
    }

    // JSON.stringify's escaping, then (ensure_ascii) \uXXXX for everything from U+007F up.
    private static void WriteString(StringBuilder sb, string s, bool ensureAscii)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    var loneSurrogate = char.IsHighSurrogate(c) ? !(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                        : char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(s[i - 1]));
                    if (c < 0x20 || loneSurrogate || (ensureAscii && c >= 0x7f))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
