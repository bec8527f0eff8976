using System.Globalization;
using System.Text;

namespace AscendAio.Engine.Templates;

/// <summary>The <c>| filters</c> chat templates use, with the reference renderer's behaviour.</summary>
internal static class Filters
{
    public static readonly HashSet<string> Names =
    [
        "tojson", "trim", "length", "count", "upper", "lower", "title", "capitalize", "default", "d", "join", "first", "last",
        "string", "items", "list", "reverse", "unique", "sort", "selectattr", "rejectattr", "map", "int", "float", "abs",
        "indent", "replace", "safe",
    ];

    public static Value Apply(string name, Value v, CallArgs a) => name switch
    {
        "safe" => v,
        "tojson" => new StringValue(Json.Serialize(v, options: JsonOptions(a))),
        "default" or "d" => v is UndefinedValue || (a.At(1, "boolean", Value.False).IsTruthy && !v.IsTruthy) ? a.At(0, "default_value", new StringValue("")) : v,
        "length" or "count" => v switch
        {
            StringValue s => new IntValue(s.Value.Length),
            ListValue l => new IntValue(l.Items.Count),
            DictValue d => new IntValue(d.Entries.Count),
            _ => throw Fail(name, v, a),
        },
        "trim" => new StringValue(JsText.Strip(Str(name, v, a), a.At(0, "chars", Value.None) is StringValue c ? c.Value : null, true, true)),
        "upper" => new StringValue(Str(name, v, a).ToUpperInvariant()),
        "lower" => new StringValue(Str(name, v, a).ToLowerInvariant()),
        "title" => new StringValue(Title(Str(name, v, a))),
        "capitalize" => new StringValue(Str(name, v, a) is { Length: > 0 } s ? char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant() : ""),
        "string" => v is StringValue ? v : new StringValue(v.Render()),
        "join" => Join(v, a),
        "first" => Seq(name, v, a) is { Count: > 0 } f ? f[0] : Value.Undefined,
        "last" => Seq(name, v, a) is { Count: > 0 } l ? l[^1] : Value.Undefined,
        "list" => new ListValue([.. Seq(name, v, a)]),
        "reverse" => v is StringValue rs ? new StringValue(new string(rs.Value.Reverse().ToArray())) : new ListValue(Seq(name, v, a).AsEnumerable().Reverse().ToList()),
        "items" => v is DictValue d ? Methods.Items(d) : throw Fail(name, v, a),
        "unique" => new ListValue(Seq(name, v, a).DistinctBy(Key).ToList()),
        "sort" => Sort(v, a),
        "selectattr" or "rejectattr" => SelectAttr(name == "selectattr", v, a),
        "map" => Map(v, a),
        "int" => v switch
        {
            IntValue => v,
            FloatValue f => new IntValue((long)Math.Truncate(f.Value)),
            BoolValue b => new IntValue(b.Value ? 1 : 0),
            StringValue s => long.TryParse(JsText.Trim(s.Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? new IntValue(n) : a.At(0, "default", new IntValue(0)),
            _ => throw Fail(name, v, a),
        },
        "float" => v switch
        {
            FloatValue => v,
            IntValue i => new FloatValue(i.Value),
            BoolValue b => new FloatValue(b.Value ? 1 : 0),
            StringValue s => double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? new FloatValue(x) : a.At(0, "default", new FloatValue(0)),
            _ => throw Fail(name, v, a),
        },
        "abs" => v switch
        {
            IntValue i => new IntValue(Math.Abs(i.Value)),
            FloatValue f => new FloatValue(Math.Abs(f.Value)),
            _ => throw Fail(name, v, a),
        },
        "indent" => Indent(Str(name, v, a), a),
        "replace" => Methods.Attribute(v is StringValue ? v : throw Fail(name, v, a), "replace") is FunctionValue f ? f.Body(a) : throw Fail(name, v, a),
        _ => throw new ChatTemplateRenderException($"unknown filter '{name}'", a.Line),
    };

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var startOfWord = true;
        foreach (var c in s)
        {
            sb.Append(startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            startOfWord = char.IsWhiteSpace(c) || c is '-' or '(' or '[' or '{';
        }
        return sb.ToString();
    }

    private static ChatTemplateRenderException Fail(string filter, Value v, CallArgs a) =>
        new($"filter '{filter}' cannot be applied to {v.TypeName}", a.Line);

    private static string Str(string filter, Value v, CallArgs a) => v is StringValue s ? s.Value : throw Fail(filter, v, a);

    private static List<Value> Seq(string filter, Value v, CallArgs a) => v switch
    {
        ListValue l => l.Items,
        StringValue s => StringElements(s.Value),
        DictValue d => d.Entries.Keys.Select(k => (Value)new StringValue(k)).ToList(),
        _ => throw Fail(filter, v, a),
    };

    /// <summary>A string as a list of code points (what slicing and iteration see).</summary>
    public static List<Value> StringElements(string s)
    {
        var list = new List<Value>();
        foreach (var rune in s.EnumerateRunes()) list.Add(new StringValue(rune.ToString()));
        return list;
    }

    private static object Key(Value v) => v switch
    {
        StringValue s => s.Value,
        IntValue i => (double)i.Value,
        FloatValue f => f.Value,
        BoolValue b => b.Value,
        _ => v,
    };

    private static Json.Options JsonOptions(CallArgs a)
    {
        var indent = a.Keyword.GetValueOrDefault("indent") switch
        {
            null or NoneValue => (int?)null,
            IntValue i => (int)i.Value,
            _ => throw new ChatTemplateRenderException("tojson indent must be an integer", a.Line),
        };
        (string, string)? separators = a.Keyword.GetValueOrDefault("separators") switch
        {
            null or NoneValue => null,
            ListValue { Items: [StringValue item, StringValue key] } => (item.Value, key.Value),
            _ => throw new ChatTemplateRenderException("tojson separators must be two strings", a.Line),
        };
        return new Json.Options(indent, a.Keyword.GetValueOrDefault("ensure_ascii")?.IsTruthy ?? false,
            a.Keyword.GetValueOrDefault("sort_keys")?.IsTruthy ?? false, separators);
    }

    private static Value Join(Value v, CallArgs a)
    {
        var sep = a.At(0, "d", new StringValue("")) is StringValue s ? s.Value : throw new ChatTemplateRenderException("join separator must be a string", a.Line);
        var attribute = a.Keyword.GetValueOrDefault("attribute") as StringValue;
        var items = Seq("join", v, a).Select(i => attribute is null ? i : Evaluator.Attribute(i, attribute.Value));
        return new StringValue(string.Join(sep, items.Select(i => i.Render())));
    }

    private static Value Sort(Value v, CallArgs a)
    {
        var reverse = a.At(0, "reverse", Value.False).IsTruthy;
        var caseSensitive = a.At(1, "case_sensitive", Value.False).IsTruthy;
        var attribute = a.At(2, "attribute", Value.None) as StringValue;
        Value SortKey(Value x) => attribute is null ? x : Evaluator.Attribute(x, attribute.Value);
        var sorted = Seq("sort", v, a).Order(Comparer<Value>.Create((x, y) => Operators.Compare(SortKey(x), SortKey(y), caseSensitive, a.Line))).ToList();
        if (reverse) sorted.Reverse();
        return new ListValue(sorted);
    }

    private static Value SelectAttr(bool select, Value v, CallArgs a)
    {
        if (a.At(0, "attribute", Value.Undefined) is not StringValue attribute)
            throw new ChatTemplateRenderException("selectattr/rejectattr expect an attribute name", a.Line);
        var test = a.Positional.Count > 1 ? a.Positional[1] as StringValue : null;
        if (test is not null && test.Value is not ("equalto" or "eq" or "==") && !Tests.Names.Contains(test.Value))
            throw new ChatTemplateRenderException($"unknown test '{test.Value}'", a.Line);
        bool Passes(Value item)
        {
            var value = Evaluator.Attribute(item, attribute.Value);
            if (test is null) return value.IsTruthy;
            if (test.Value is "equalto" or "eq" or "==") return Operators.AreEqual(value, a.Positional.Count > 2 ? a.Positional[2] : Value.Undefined);
            return Tests.Apply(test.Value, value);
        }
        return new ListValue(Seq("selectattr", v, a).Where(item => Passes(item) == select).ToList());
    }

    private static Value Map(Value v, CallArgs a)
    {
        if (a.Keyword.GetValueOrDefault("attribute") is StringValue attribute)
        {
            var fallback = a.Keyword.GetValueOrDefault("default");
            return new ListValue(Seq("map", v, a).Select(item =>
                Evaluator.Attribute(item, attribute.Value) is var x && x is UndefinedValue && fallback is not null ? fallback : x).ToList());
        }
        if (a.Positional.Count > 0 && a.Positional[0] is StringValue filter && Names.Contains(filter.Value) && filter.Value != "map")
        {
            var rest = new CallArgs(a.Positional.Skip(1).ToList(), a.Keyword, a.Line);
            return new ListValue(Seq("map", v, a).Select(item => Apply(filter.Value, item, rest)).ToList());
        }
        throw new ChatTemplateRenderException("map expects attribute=... or the name of a supported filter", a.Line);
    }

    private static Value Indent(string s, CallArgs a)
    {
        var width = a.At(0, "width", new IntValue(4)) switch
        {
            IntValue i => new string(' ', (int)i.Value),
            StringValue w => w.Value,
            _ => throw new ChatTemplateRenderException("indent width must be an integer or a string", a.Line),
        };
        var first = a.At(1, "first", Value.False).IsTruthy;
        var blank = a.At(2, "blank", Value.False).IsTruthy;
        var lines = s.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if ((first || i > 0) && (blank || lines[i].Length > 0)) lines[i] = width + lines[i];
        return new StringValue(string.Join('\n', lines));
    }
}
