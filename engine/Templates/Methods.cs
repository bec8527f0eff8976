namespace AscendAio.Engine.Templates;

/// <summary>
/// Attributes and methods reached with a dot: Python's str methods templates call, dict.get/items/keys/values,
/// and <c>length</c>. Unknown attributes read as undefined, like the reference renderer.
/// </summary>
internal static class Methods
{
    public static readonly HashSet<string> Names =
    [
        "startswith", "endswith", "strip", "lstrip", "rstrip", "split", "replace", "upper", "lower", "title", "capitalize",
        "get", "items", "keys", "values",
    ];

    public static Value Attribute(Value obj, string name) => obj switch
    {
        StringValue s => StringAttribute(s.Value, name),
        ListValue l when name == "length" => new IntValue(l.Items.Count),
        DictValue d => DictAttribute(d, name),
        _ => Value.Undefined,
    };

    private static Value StringAttribute(string s, string name) => name switch
    {
        "length" => new IntValue(s.Length),
        "upper" => Fn(name, _ => new StringValue(s.ToUpperInvariant())),
        "lower" => Fn(name, _ => new StringValue(s.ToLowerInvariant())),
        "title" => Fn(name, _ => new StringValue(Filters.Title(s))),
        "capitalize" => Fn(name, _ => new StringValue(s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..])),
        "strip" => Fn(name, a => new StringValue(JsText.Strip(s, Chars(a), true, true))),
        "lstrip" => Fn(name, a => new StringValue(JsText.Strip(s, Chars(a), true, false))),
        "rstrip" => Fn(name, a => new StringValue(JsText.Strip(s, Chars(a), false, true))),
        "startswith" => Fn(name, a => Value.Of(Affixes(a, name).Any(p => s.StartsWith(p, StringComparison.Ordinal)))),
        "endswith" => Fn(name, a => Value.Of(Affixes(a, name).Any(p => s.EndsWith(p, StringComparison.Ordinal)))),
        "split" => Fn(name, a => Split(s, a)),
        "replace" => Fn(name, a => Replace(s, a)),
        _ => Value.Undefined,
    };

    private static Value DictAttribute(DictValue d, string name)
    {
        if (d.Entries.TryGetValue(name, out var v)) return v;
        return name switch
        {
            "get" => Fn(name, a =>
            {
                var key = a.At(0, "key", Value.Undefined) as StringValue ?? throw new ChatTemplateRenderException("dict.get() expects a string key", a.Line);
                return d.Entries.TryGetValue(key.Value, out var found) ? found : a.At(1, "default", Value.None);
            }),
            "items" => Fn(name, _ => Items(d)),
            "keys" => Fn(name, _ => new ListValue(d.Entries.Keys.Select(k => (Value)new StringValue(k)).ToList())),
            "values" => Fn(name, _ => new ListValue(d.Entries.Values.ToList())),
            _ => Value.Undefined,
        };
    }

    public static ListValue Items(DictValue d) =>
        new(d.Entries.Select(kv => (Value)new ListValue([new StringValue(kv.Key), kv.Value], isTuple: true)).ToList());

    private static FunctionValue Fn(string name, Func<CallArgs, Value> body) => new(name, body);

    // Python semantics: strip(chars) strips exactly those characters; strip() or strip(None) strips whitespace.
    private static string? Chars(CallArgs a) => a.At(0, "chars", Value.None) switch
    {
        StringValue c => c.Value,
        NoneValue or UndefinedValue => null,
        var other => throw new ChatTemplateRenderException($"strip() argument must be a string or none, not {other.TypeName}", a.Line),
    };

    private static IEnumerable<string> Affixes(CallArgs a, string method) => a.At(0, "prefix", Value.Undefined) switch
    {
        StringValue p => [p.Value],
        ListValue l => l.Items.Select(i => i is StringValue s ? s.Value : throw new ChatTemplateRenderException($"{method}() tuple items must be strings", a.Line)),
        _ => throw new ChatTemplateRenderException($"{method}() argument must be a string or a tuple of strings", a.Line),
    };

    private static Value Split(string s, CallArgs a)
    {
        var sep = a.At(0, "sep", Value.None);
        var max = a.At(1, "maxsplit", new IntValue(-1)) is IntValue m ? m.Value : throw new ChatTemplateRenderException("split() maxsplit must be an integer", a.Line);
        var parts = new List<string>();
        if (sep is NoneValue or UndefinedValue)
        {
            var rest = JsText.TrimStart(s);
            while (rest.Length > 0)
            {
                if (max >= 0 && parts.Count >= max)
                {
                    parts.Add(rest);
                    break;
                }
                var end = 0;
                while (end < rest.Length && !JsText.IsWhite(rest[end])) end++;
                parts.Add(rest[..end]);
                rest = JsText.TrimStart(rest[end..]);
            }
        }
        else if (sep is StringValue { Value.Length: > 0 } sv)
        {
            parts.AddRange(max < 0 ? s.Split(sv.Value) : s.Split(sv.Value, (int)Math.Min(max + 1, int.MaxValue)));
        }
        else
        {
            throw new ChatTemplateRenderException("split() separator must be a non-empty string or none", a.Line);
        }
        return new ListValue(parts.Select(p => (Value)new StringValue(p)).ToList());
    }

    private static Value Replace(string s, CallArgs a)
    {
        if (a.At(0, "old", Value.Undefined) is not StringValue old || a.At(1, "new", Value.Undefined) is not StringValue @new)
            throw new ChatTemplateRenderException("replace() expects two strings", a.Line);
        var count = a.At(2, "count", Value.None) is IntValue c ? c.Value : -1;
        if (count < 0) return new StringValue(old.Value.Length == 0 ? InsertBetweenAll(s, @new.Value) : s.Replace(old.Value, @new.Value, StringComparison.Ordinal));
        var result = s;
        var at = 0;
        for (var n = 0; n < count; n++)
        {
            var i = result.IndexOf(old.Value, at, StringComparison.Ordinal);
            if (i < 0 || old.Value.Length == 0) break;
            result = string.Concat(result.AsSpan(0, i), @new.Value, result.AsSpan(i + old.Value.Length));
            at = i + @new.Value.Length;
        }
        return new StringValue(result);
    }

    // Python: "ab".replace("", "-") == "-a-b-".
    private static string InsertBetweenAll(string s, string insert) => insert + string.Join(insert, s.Select(ch => ch.ToString())) + (s.Length > 0 ? insert : "");
}
