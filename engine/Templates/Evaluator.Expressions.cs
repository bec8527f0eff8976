namespace AscendAio.Engine.Templates;

internal sealed partial class Evaluator
{
    private Value Evaluate(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case LiteralExpr l:
                return l.Value;
            case NameExpr n:
                return scope.Lookup(n.Name);
            case ListExpr l:
                return new ListValue(l.Items.Select(i => Evaluate(i, scope)).ToList(), l.IsTuple);
            case DictExpr d:
                var map = new OrderedDictionary<string, Value>();
                foreach (var (k, v) in d.Pairs)
                {
                    if (Evaluate(k, scope) is not StringValue key) throw new ChatTemplateRenderException("dictionary keys must be strings", d.Line);
                    map[key.Value] = Evaluate(v, scope);
                }
                return new DictValue(map);
            case MemberExpr m:
                return Member(Evaluate(m.Object, scope), Evaluate(m.Key, scope), m.Line);
            case SliceExpr s:
                return Slice(s, scope);
            case CallExpr c:
                var callee = Evaluate(c.Callee, scope);
                if (callee is not FunctionValue fn) throw new ChatTemplateRenderException($"{Describe(c.Callee)} is not callable (it is {callee.TypeName})", c.Line);
                return fn.Body(Arguments(c.Args, c.Kwargs, scope, c.Line));
            case FilterExpr f:
                return Guard(f.Line, () => Filters.Apply(f.Name, Evaluate(f.Operand, scope), Arguments(f.Args, f.Kwargs, scope, f.Line)));
            case TestExpr t:
                var operand = Evaluate(t.Operand, scope);
                return Value.Of(Guard(t.Line, () => Tests.Apply(t.Name, operand)) != t.Negate);
            case UnaryExpr u:
                return Unary(u, Evaluate(u.Operand, scope));
            case BinaryExpr { Operator: "and" } b:
                var left = Evaluate(b.Left, scope);
                return left.IsTruthy ? Evaluate(b.Right, scope) : left;
            case BinaryExpr { Operator: "or" } b:
                var first = Evaluate(b.Left, scope);
                return first.IsTruthy ? first : Evaluate(b.Right, scope);
            case BinaryExpr b:
                return Operators.Binary(b.Operator, Evaluate(b.Left, scope), Evaluate(b.Right, scope), b.Line);
            case TernaryExpr t:
                if (Evaluate(t.Condition, scope).IsTruthy) return Evaluate(t.Then, scope);
                return t.Else is null ? Value.Undefined : Evaluate(t.Else, scope);
            default:
                throw new ChatTemplateRenderException($"cannot evaluate {expr.GetType().Name}", expr.Line);
        }
    }

    private static T Guard<T>(int line, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (InvalidOperationException e)
        {
            throw new ChatTemplateRenderException(e.Message, line);
        }
    }

    private static string Describe(Expr e) => e switch
    {
        NameExpr n => $"'{n.Name}'",
        MemberExpr { Key: LiteralExpr { Value: StringValue s } } => $"'.{s.Value}'",
        _ => "the value",
    };

    private CallArgs Arguments(List<Expr> args, List<(string Name, Expr Value)> kwargs, Scope scope, int line)
    {
        var keyword = new OrderedDictionary<string, Value>();
        foreach (var (name, value) in kwargs) keyword[name] = Evaluate(value, scope);
        return new CallArgs(args.Select(a => Evaluate(a, scope)).ToList(), keyword, line);
    }

    private static Value Unary(UnaryExpr u, Value v) => u.Operator switch
    {
        "not" => Value.Of(!v.IsTruthy),
        "-" or "+" => (u.Operator == "-", v) switch
        {
            (true, IntValue i) => new IntValue(-i.Value),
            (true, FloatValue f) => new FloatValue(-f.Value),
            (true, BoolValue b) => new IntValue(b.Value ? -1 : 0),
            (false, IntValue or FloatValue) => v,
            (false, BoolValue b) => new IntValue(b.Value ? 1 : 0),
            _ => throw new ChatTemplateRenderException($"unary '{u.Operator}' is not defined for {v.TypeName}", u.Line),
        },
        _ => throw new ChatTemplateRenderException($"unknown operator '{u.Operator}'", u.Line),
    };

    /// <summary><c>obj.name</c> / <c>obj["name"]</c> for a string key: entries first, then built-in methods.</summary>
    public static Value Attribute(Value obj, string name) => obj switch
    {
        NamespaceValue ns => ns.Entries.GetValueOrDefault(name) ?? Value.Undefined,
        _ => Methods.Attribute(obj, name),
    };

    private static Value Member(Value obj, Value key, int line)
    {
        switch (key)
        {
            case StringValue s:
                return Attribute(obj, s.Value);
            case IntValue i when obj is ListValue l:
                var at = i.Value < 0 ? l.Items.Count + i.Value : i.Value;
                return at >= 0 && at < l.Items.Count ? l.Items[(int)at] : Value.Undefined;
            case IntValue i when obj is StringValue str:
                var pos = i.Value < 0 ? str.Value.Length + i.Value : i.Value;
                return pos >= 0 && pos < str.Value.Length ? new StringValue(str.Value[(int)pos].ToString()) : Value.Undefined;
            case IntValue when obj is UndefinedValue or NoneValue:
                return Value.Undefined;
            default:
                throw new ChatTemplateRenderException($"cannot index {obj.TypeName} with {key.TypeName}", line);
        }
    }

    private Value Slice(SliceExpr s, Scope scope)
    {
        var obj = Evaluate(s.Object, scope);
        long? Part(Expr? e) => e is null ? null : Evaluate(e, scope) switch
        {
            IntValue i => i.Value,
            UndefinedValue or NoneValue => null,
            var other => throw new ChatTemplateRenderException($"slice indices must be integers, not {other.TypeName}", s.Line),
        };
        var (start, stop, step) = (Part(s.Start), Part(s.Stop), Part(s.Step) ?? 1);
        if (step == 0) throw new ChatTemplateRenderException("slice step cannot be zero", s.Line);
        var items = obj switch
        {
            ListValue l => l.Items,
            StringValue str => Filters.StringElements(str.Value),
            _ => throw new ChatTemplateRenderException($"cannot slice {obj.TypeName}", s.Line),
        };
        var picked = PythonSlice(items.Count, start, stop, step).Select(i => items[i]).ToList();
        return obj is StringValue ? new StringValue(string.Concat(picked.Select(p => ((StringValue)p).Value))) : new ListValue(picked);
    }

    // Python's slice.indices(): clamp, then walk from start towards stop by step.
    private static IEnumerable<int> PythonSlice(int n, long? start, long? stop, long step)
    {
        long Clamp(long? v, long ifNull, long low, long high) =>
            v is null ? ifNull : Math.Clamp(v.Value < 0 ? v.Value + n : v.Value, low, high);
        var first = step > 0 ? Clamp(start, 0, 0, n) : Clamp(start, n - 1, -1, n - 1);
        var end = step > 0 ? Clamp(stop, n, 0, n) : Clamp(stop, -1, -1, n - 1);
        for (var i = first; step > 0 ? i < end : i > end; i += step) yield return (int)i;
    }
}
