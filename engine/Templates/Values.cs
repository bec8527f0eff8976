using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AscendAio.Engine.Templates;

/// <summary>A runtime value. Truthiness and printing follow the reference renderer (Python-like truthiness, JSON-like printing of containers).</summary>
internal abstract class Value
{
    public abstract string TypeName { get; }

    public virtual bool IsTruthy => true;

    /// <summary>The text <c>{{ value }}</c> writes.</summary>
    public abstract string Render();

    public static readonly Value Undefined = new UndefinedValue();
    public static readonly Value None = new NoneValue();
    public static readonly Value True = new BoolValue(true);
    public static readonly Value False = new BoolValue(false);

    public static Value Of(bool b) => b ? True : False;

    /// <summary>Converts host data (strings, numbers, bools, lists, dictionaries, System.Text.Json values) into a runtime value.</summary>
    public static Value From(object? o) => o switch
    {
        null => None,
        Value v => v,
        string s => new StringValue(s),
        bool b => Of(b),
        int or long or short or byte or sbyte or ushort or uint => new IntValue(Convert.ToInt64(o, CultureInfo.InvariantCulture)),
        double or float or decimal => Number(Convert.ToDouble(o, CultureInfo.InvariantCulture)),
        JsonElement e => FromJson(e),
        JsonNode n => FromJson(JsonSerializer.SerializeToElement(n)),
        IEnumerable<KeyValuePair<string, object?>> d => new DictValue(ToMap(d.Select(kv => (kv.Key, From(kv.Value))))),
        IDictionary d => new DictValue(ToMap(d.Cast<DictionaryEntry>().Select(kv => (Convert.ToString(kv.Key, CultureInfo.InvariantCulture)!, From(kv.Value))))),
        IEnumerable e => new ListValue(e.Cast<object?>().Select(From).ToList()),
        _ => throw new ArgumentException($"chat template input of type {o.GetType().Name} is not supported"),
    };

    // Like JavaScript's JSON: a number without a fraction is an integer.
    private static Value Number(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9007199254740992d ? new IntValue((long)d) : new FloatValue(d);

    private static Value FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => new StringValue(e.GetString()!),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? new IntValue(l) : Number(e.GetDouble()),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Array => new ListValue(e.EnumerateArray().Select(FromJson).ToList()),
        JsonValueKind.Object => new DictValue(ToMap(e.EnumerateObject().Select(p => (p.Name, FromJson(p.Value))))),
        _ => None,
    };

    private static OrderedDictionary<string, Value> ToMap(IEnumerable<(string Key, Value Value)> pairs)
    {
        var map = new OrderedDictionary<string, Value>();
        foreach (var (k, v) in pairs) map[k] = v;
        return map;
    }
}

internal sealed class UndefinedValue : Value
{
    public override string TypeName => "undefined";
    public override bool IsTruthy => false;
    public override string Render() => "";
}

internal sealed class NoneValue : Value
{
    public override string TypeName => "none";
    public override bool IsTruthy => false;
    public override string Render() => "";
}

internal sealed class BoolValue(bool value) : Value
{
    public bool Value { get; } = value;
    public override string TypeName => "boolean";
    public override bool IsTruthy => Value;
    public override string Render() => Value ? "true" : "false";
}

internal sealed class IntValue(long value) : Value
{
    public long Value { get; } = value;
    public override string TypeName => "integer";
    public override bool IsTruthy => Value != 0;
    public override string Render() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed class FloatValue(double value) : Value
{
    public double Value { get; } = value;
    public override string TypeName => "float";
    public override bool IsTruthy => Value != 0 && !double.IsNaN(Value);
    public override string Render() => JsText.Float(Value);
}

internal sealed class StringValue(string value) : Value
{
    public string Value { get; } = value;
    public override string TypeName => "string";
    public override bool IsTruthy => Value.Length > 0;
    public override string Render() => Value;
}

internal sealed class ListValue(List<Value> items, bool isTuple = false) : Value
{
    public List<Value> Items { get; } = items;
    public bool IsTuple { get; } = isTuple;
    public override string TypeName => IsTuple ? "tuple" : "list";
    public override bool IsTruthy => Items.Count > 0;
    public override string Render() => Json.Serialize(this, undefinedAsNull: false);
}

internal sealed class DictValue(OrderedDictionary<string, Value> entries) : Value
{
    public OrderedDictionary<string, Value> Entries { get; } = entries;
    public override string TypeName => "dict";
    public override bool IsTruthy => Entries.Count > 0;
    public override string Render() => Json.Serialize(this, undefinedAsNull: false);
}

/// <summary>What <c>namespace(...)</c> returns: the one value whose attributes <c>{% set ns.x = ... %}</c> may assign.</summary>
internal sealed class NamespaceValue(OrderedDictionary<string, Value> entries) : Value
{
    public OrderedDictionary<string, Value> Entries { get; } = entries;
    public override string TypeName => "namespace";
    public override string Render() => Json.Serialize(this, undefinedAsNull: false);
}

internal sealed record CallArgs(List<Value> Positional, OrderedDictionary<string, Value> Keyword, int Line)
{
    public Value At(int i, string keyword, Value fallback) =>
        i < Positional.Count ? Positional[i] : Keyword.TryGetValue(keyword, out var v) ? v : fallback;
}

internal sealed class FunctionValue(string name, Func<CallArgs, Value> body) : Value
{
    public string Name { get; } = name;
    public Func<CallArgs, Value> Body { get; } = body;
    public override string TypeName => "function";
    public override string Render() => $"<function {Name}>";
}
