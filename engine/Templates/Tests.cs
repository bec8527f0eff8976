namespace AscendAio.Engine.Templates;

/// <summary>The <c>is</c> tests (<c>x is defined</c>, <c>x is not none</c>, ...), with the reference renderer's definitions.</summary>
internal static class Tests
{
    private static readonly Dictionary<string, Func<Value, bool>> All = new()
    {
        ["defined"] = v => v is not UndefinedValue,
        ["undefined"] = v => v is UndefinedValue,
        ["none"] = v => v is NoneValue,
        ["string"] = v => v is StringValue,
        ["number"] = v => v is IntValue or FloatValue,
        ["integer"] = v => v is IntValue,
        ["float"] = v => v is FloatValue,
        ["boolean"] = v => v is BoolValue,
        ["true"] = v => v is BoolValue { Value: true },
        ["false"] = v => v is BoolValue { Value: false },
        ["mapping"] = v => v is DictValue,
        ["iterable"] = v => v is ListValue or StringValue,
        ["sequence"] = v => v is ListValue or StringValue or DictValue,
        ["callable"] = v => v is FunctionValue,
        ["odd"] = v => v is IntValue i ? i.Value % 2 != 0 : throw new InvalidOperationException($"cannot test odd on {v.TypeName}"),
        ["even"] = v => v is IntValue i ? i.Value % 2 == 0 : throw new InvalidOperationException($"cannot test even on {v.TypeName}"),
        // Jinja's lower/upper tests: the string equals its own lower/upper-cased form (an exact comparison, not a case-insensitive one).
        ["lower"] = v => v is StringValue s && string.Equals(s.Value, s.Value.ToLowerInvariant(), StringComparison.Ordinal),
        ["upper"] = v => v is StringValue s && string.Equals(s.Value, s.Value.ToUpperInvariant(), StringComparison.Ordinal),
    };

    public static readonly IReadOnlySet<string> Names = All.Keys.ToHashSet();

    public static bool Apply(string name, Value value) => All[name](value);
}
