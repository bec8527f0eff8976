namespace AscendAio.Engine.Templates;

/// <summary>Binary operators on runtime values, as the reference renderer defines them (Python-like, no implicit coercion except string concatenation).</summary>
internal static class Operators
{
    public static Value Binary(string op, Value left, Value right, int line)
    {
        switch (op)
        {
            case "==": return Value.Of(AreEqual(left, right));
            case "!=": return Value.Of(!AreEqual(left, right));
            case "in" or "not in": return Value.Of(Contains(right, left, line) == (op == "in"));
            case "~": return new StringValue(left.Render() + right.Render());
        }
        if (left is UndefinedValue || right is UndefinedValue) throw new ChatTemplateRenderException($"cannot apply '{op}' to an undefined value", line);
        if (left is NoneValue || right is NoneValue) throw new ChatTemplateRenderException($"cannot apply '{op}' to none", line);
        if (IsNumber(left) && IsNumber(right)) return Arithmetic(op, left, right, line);
        if (op == "+" && left is ListValue a && right is ListValue b) return new ListValue([.. a.Items, .. b.Items]);
        if (op == "+" && (left is StringValue || right is StringValue)) return new StringValue(Concat(left, line) + Concat(right, line));
        if (op is "<" or ">" or "<=" or ">=" && left is StringValue && right is StringValue)
            return Value.Of(CompareResult(op, Compare(left, right, true, line)));
        throw new ChatTemplateRenderException($"operator '{op}' is not defined between {left.TypeName} and {right.TypeName}", line);
    }

    // What `+` appends when one side is a string (JavaScript's toString of the other side).
    private static string Concat(Value v, int line) => v switch
    {
        StringValue s => s.Value,
        IntValue or BoolValue => v.Render(),
        FloatValue f => JsText.Number(f.Value),
        _ => throw new ChatTemplateRenderException($"cannot concatenate a string and a {v.TypeName}", line),
    };

    private static bool IsNumber(Value v) => v is IntValue or FloatValue or BoolValue;

    private static double Number(Value v) => v switch
    {
        IntValue i => i.Value,
        FloatValue f => f.Value,
        BoolValue b => b.Value ? 1 : 0,
        _ => double.NaN,
    };

    private static Value Arithmetic(string op, Value left, Value right, int line)
    {
        var isFloat = left is FloatValue || right is FloatValue;
        if (!isFloat && left is not BoolValue && right is not BoolValue && op is "+" or "-" or "*" or "//" or "%")
        {
            long x = ((IntValue)left).Value, y = ((IntValue)right).Value;
            if (op is "//" or "%" && y == 0) throw new ChatTemplateRenderException("integer division or modulo by zero", line);
            return new IntValue(op switch
            {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "//" => (long)Math.Floor((double)x / y),
                _ => x % y,
            });
        }
        double a = Number(left), b = Number(right);
        Value Num(double d) => isFloat ? new FloatValue(d) : new IntValue((long)d);
        return op switch
        {
            "+" => Num(a + b),
            "-" => Num(a - b),
            "*" => Num(a * b),
            "/" => new FloatValue(a / b),
            "//" => Num(Math.Floor(a / b)),
            "%" => Num(a % b),
            "**" => isFloat || b < 0 ? new FloatValue(Math.Pow(a, b)) : new IntValue((long)Math.Pow(a, b)),
            "<" or ">" or "<=" or ">=" => Value.Of(CompareResult(op, a.CompareTo(b))),
            _ => throw new ChatTemplateRenderException($"operator '{op}' is not defined between numbers", line),
        };
    }

    private static bool CompareResult(string op, int c) => op switch
    {
        "<" => c < 0,
        ">" => c > 0,
        "<=" => c <= 0,
        _ => c >= 0,
    };

    /// <summary>Ordering for comparisons and the sort filter: numbers by value, strings ordinally (optionally ignoring case).</summary>
    public static int Compare(Value x, Value y, bool caseSensitive, int line)
    {
        if (IsNumber(x) && IsNumber(y)) return Number(x).CompareTo(Number(y));
        if (x is StringValue a && y is StringValue b)
            return caseSensitive ? string.CompareOrdinal(a.Value, b.Value) : string.CompareOrdinal(a.Value.ToLowerInvariant(), b.Value.ToLowerInvariant());
        throw new ChatTemplateRenderException($"cannot compare {x.TypeName} with {y.TypeName}", line);
    }

    /// <summary>Equality: numbers (and booleans) by value, strings ordinally, none equals undefined, containers by identity.</summary>
    public static bool AreEqual(Value x, Value y) => (x, y) switch
    {
        (StringValue a, StringValue b) => a.Value == b.Value,
        (NoneValue or UndefinedValue, NoneValue or UndefinedValue) => true,
        _ when IsNumber(x) && IsNumber(y) => Number(x) == Number(y),
        _ => ReferenceEquals(x, y),
    };

    private static bool Contains(Value container, Value item, int line) => container switch
    {
        UndefinedValue => false,
        StringValue s when item is StringValue sub => s.Value.Contains(sub.Value, StringComparison.Ordinal),
        ListValue l => l.Items.Any(x => StrictEqual(x, item)),
        DictValue d when item is StringValue key => d.Entries.ContainsKey(key.Value),
        NamespaceValue n when item is StringValue key => n.Entries.ContainsKey(key.Value),
        _ => throw new ChatTemplateRenderException($"'in' is not defined for {item.TypeName} in {container.TypeName}", line),
    };

    // JavaScript's ===, which `in` uses: no boolean/number mixing.
    private static bool StrictEqual(Value x, Value y) =>
        (x is BoolValue) == (y is BoolValue) && AreEqual(x, y) && (x is NoneValue) == (y is NoneValue);
}
