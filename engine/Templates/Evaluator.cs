using System.Text;

namespace AscendAio.Engine.Templates;

/// <summary>Runs a parsed template: statements here, expressions in Evaluator.Expressions.cs.</summary>
internal sealed partial class Evaluator
{
    private enum Flow { Normal, Break, Continue }

    private const int MaxDepth = 200;
    private int _depth;

    public static string Run(List<Node> body, Scope globals)
    {
        var sb = new StringBuilder();
        new Evaluator().Execute(body, globals, sb);
        return sb.ToString();
    }

    private Flow Execute(List<Node> body, Scope scope, StringBuilder output)
    {
        foreach (var node in body)
        {
            var flow = Execute(node, scope, output);
            if (flow != Flow.Normal) return flow;
        }
        return Flow.Normal;
    }

    private Flow Execute(Node node, Scope scope, StringBuilder output)
    {
        switch (node)
        {
            case TextNode t:
                output.Append(t.Text);
                return Flow.Normal;
            case OutputNode o:
                output.Append(Evaluate(o.Value, scope).Render());
                return Flow.Normal;
            case IfNode i:
                return Execute(Evaluate(i.Test, scope).IsTruthy ? i.Body : i.Else, scope, output);
            case ForNode f:
                ExecuteFor(f, scope, output);
                return Flow.Normal;
            case SetNode s:
                ExecuteSet(s, scope);
                return Flow.Normal;
            case MacroNode m:
                scope.Set(m.Name, DefineMacro(m, scope));
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw new ChatTemplateRenderException($"cannot execute {node.GetType().Name}", node.Line);
        }
    }

    private void ExecuteFor(ForNode f, Scope scope, StringBuilder output)
    {
        var loopScope = new Scope(scope);
        var iterable = Evaluate(f.Iterable, loopScope);
        var all = iterable switch
        {
            ListValue l => l.Items.ToList(),
            DictValue d => d.Entries.Keys.Select(k => (Value)new StringValue(k)).ToList(),
            StringValue s => Filters.StringElements(s.Value),
            _ => throw new ChatTemplateRenderException($"cannot loop over {iterable.TypeName}", f.Line),
        };
        var items = new List<Value>();
        foreach (var item in all)
        {
            if (f.Filter is null) { items.Add(item); continue; }
            var probe = new Scope(loopScope);
            Bind(f.Target, item, probe, f.Line);
            if (Evaluate(f.Filter, probe).IsTruthy) items.Add(item);
        }

        for (var i = 0; i < items.Count; i++)
        {
            loopScope.Set("loop", LoopInfo(items, i));
            Bind(f.Target, items[i], loopScope, f.Line);
            if (Execute(f.Body, loopScope, output) == Flow.Break) break;
        }
        if (items.Count == 0) Execute(f.Else, loopScope, output);
    }

    private static DictValue LoopInfo(List<Value> items, int i)
    {
        var n = items.Count;
        return new DictValue(new OrderedDictionary<string, Value>
        {
            ["index"] = new IntValue(i + 1),
            ["index0"] = new IntValue(i),
            ["revindex"] = new IntValue(n - i),
            ["revindex0"] = new IntValue(n - i - 1),
            ["first"] = Value.Of(i == 0),
            ["last"] = Value.Of(i == n - 1),
            ["length"] = new IntValue(n),
            ["previtem"] = i > 0 ? items[i - 1] : Value.Undefined,
            ["nextitem"] = i < n - 1 ? items[i + 1] : Value.Undefined,
        });
    }

    // Assigns a loop item or a set value to a name or a tuple of names.
    private static void Bind(Expr target, Value value, Scope scope, int line)
    {
        switch (target)
        {
            case NameExpr n:
                scope.Set(n.Name, value);
                break;
            case ListExpr { IsTuple: true } t:
                if (value is not ListValue l) throw new ChatTemplateRenderException($"cannot unpack {value.TypeName}", line);
                if (l.Items.Count != t.Items.Count)
                    throw new ChatTemplateRenderException($"expected {t.Items.Count} values to unpack, got {l.Items.Count}", line);
                for (var i = 0; i < t.Items.Count; i++) Bind(t.Items[i], l.Items[i], scope, line);
                break;
            default:
                throw new ChatTemplateRenderException("invalid assignment target", line);
        }
    }

    private void ExecuteSet(SetNode s, Scope scope)
    {
        Value value;
        if (s.Value is not null)
        {
            value = Evaluate(s.Value, scope);
        }
        else
        {
            var sb = new StringBuilder();
            Execute(s.Body!, scope, sb);
            value = new StringValue(sb.ToString());
        }
        if (s.Target is MemberExpr { Object: NameExpr owner, Key: LiteralExpr { Value: StringValue attribute } })
        {
            if (scope.Lookup(owner.Name) is not NamespaceValue ns)
                throw new ChatTemplateRenderException($"cannot set '{owner.Name}.{attribute.Value}': '{owner.Name}' is not a namespace()", s.Line);
            ns.Entries[attribute.Value] = value;
            return;
        }
        Bind(s.Target, value, scope, s.Line);
    }

    private FunctionValue DefineMacro(MacroNode m, Scope definingScope) => new(m.Name, args =>
    {
        if (args.Positional.Count > m.Parameters.Count)
            throw new ChatTemplateRenderException($"macro '{m.Name}' takes at most {m.Parameters.Count} argument(s)", args.Line);
        var unknown = args.Keyword.Keys.FirstOrDefault(k => m.Parameters.All(p => p.Name != k));
        if (unknown is not null) throw new ChatTemplateRenderException($"macro '{m.Name}' has no parameter '{unknown}'", args.Line);
        var macroScope = new Scope(definingScope);
        var pending = new List<MacroParameter>();
        for (var i = 0; i < m.Parameters.Count; i++)
        {
            var p = m.Parameters[i];
            var value = i < args.Positional.Count ? args.Positional[i] : args.Keyword.GetValueOrDefault(p.Name);
            if (value is null && p.Default is not null) pending.Add(p);
            macroScope.Set(p.Name, value ?? Value.Undefined);
        }
        foreach (var p in pending) macroScope.Set(p.Name, Evaluate(p.Default!, macroScope));
        if (++_depth > MaxDepth) throw new ChatTemplateRenderException($"macro '{m.Name}' recurses deeper than {MaxDepth}", args.Line);
        try
        {
            var sb = new StringBuilder();
            Execute(m.Body, macroScope, sb);
            return new StringValue(sb.ToString());
        }
        finally
        {
            _depth--;
        }
    });
}
