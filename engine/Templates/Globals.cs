using System.Globalization;
using System.Text;

namespace AscendAio.Engine.Templates;

/// <summary>Names every template sees: constants, <c>namespace()</c>, <c>raise_exception()</c>, <c>range()</c>, <c>strftime_now()</c>.</summary>
internal static class Globals
{
    public static readonly HashSet<string> Functions = ["namespace", "raise_exception", "range", "strftime_now"];

    public static Dictionary<string, Value> Create(TimeProvider clock) => new()
    {
        ["true"] = Value.True,
        ["false"] = Value.False,
        ["none"] = Value.None,
        ["True"] = Value.True,
        ["False"] = Value.False,
        ["None"] = Value.None,
        ["namespace"] = new FunctionValue("namespace", Namespace),
        ["raise_exception"] = new FunctionValue("raise_exception", a =>
            throw new ChatTemplateRaisedException(a.Positional.Count > 0 ? a.Positional[0].Render() : "", a.Line)),
        ["range"] = new FunctionValue("range", Range),
        ["strftime_now"] = new FunctionValue("strftime_now", a =>
            new StringValue(Strftime(clock.GetLocalNow().DateTime, a.At(0, "format", new StringValue("")).Render()))),
    };

    private static Value Namespace(CallArgs a)
    {
        var entries = new OrderedDictionary<string, Value>();
        if (a.Positional.Count > 1) throw new ChatTemplateRenderException($"namespace expected at most 1 argument, got {a.Positional.Count}", a.Line);
        if (a.Positional.Count == 1)
        {
            if (a.Positional[0] is not DictValue d) throw new ChatTemplateRenderException("namespace() expects a mapping", a.Line);
            foreach (var (k, v) in d.Entries) entries[k] = v;
        }
        foreach (var (k, v) in a.Keyword) entries[k] = v;
        return new NamespaceValue(entries);
    }

    private static Value Range(CallArgs a)
    {
        long Int(Value v) => v is IntValue i ? i.Value : throw new ChatTemplateRenderException("range() expects integers", a.Line);
        var p = a.Positional.Select(Int).ToArray();
        var (start, stop, step) = p.Length switch
        {
            1 => (0L, p[0], 1L),
            2 => (p[0], p[1], 1L),
            3 => (p[0], p[1], p[2]),
            _ => throw new ChatTemplateRenderException("range() takes 1 to 3 arguments", a.Line),
        };
        if (step == 0) throw new ChatTemplateRenderException("range() step must not be zero", a.Line);
        var items = new List<Value>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step) items.Add(new IntValue(i));
        return new ListValue(items);
    }

    /// <summary>The strftime subset the reference supports: %Y %m %d %b %B %H %M %%; other directives stay as written.</summary>
    public static string Strftime(DateTime t, string format)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var directive = format[i + 1] switch
            {
                'Y' => t.Year.ToString(inv),
                'm' => t.Month.ToString("00", inv),
                'd' => t.Day.ToString("00", inv),
                'b' => inv.DateTimeFormat.GetAbbreviatedMonthName(t.Month),
                'B' => inv.DateTimeFormat.GetMonthName(t.Month),
                'H' => t.Hour.ToString("00", inv),
                'M' => t.Minute.ToString("00", inv),
                '%' => "%",
                _ => null,
            };
            if (directive is null)
            {
                sb.Append('%');
                continue;
            }
            sb.Append(directive);
            i++;
        }
        return sb.ToString();
    }
}
