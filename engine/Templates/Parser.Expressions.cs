using System.Globalization;

namespace AscendAio.Engine.Templates;

// Expression grammar, loosest first (the reference renderer's precedence):
//   ternary > or > and > not > comparison/in > + - ~ > * / // % > ** > is-test > |filter > unary sign > call/member > primary
internal sealed partial class Parser
{
    private static readonly HashSet<string> Comparisons = ["==", "!=", "<", ">", "<=", ">="];

    private Expr ParseExpression()
    {
        var value = ParseOr();
        if (!PeekWord("if")) return value;
        var line = Next().Line;
        var condition = ParseOr();
        if (!PeekWord("else")) return new TernaryExpr(line, condition, value, null);
        _pos++;
        return new TernaryExpr(line, condition, value, ParseExpression());
    }

    // a, b, c without brackets is a tuple (in set values and parentheses).
    private Expr ParseExpressionSequence()
    {
        var first = ParseExpression();
        if (!PeekOperator(",")) return first;
        var items = new List<Expr> { first };
        while (PeekOperator(","))
        {
            _pos++;
            if (PeekOperator(")")) break;
            items.Add(ParseExpression());
        }
        return new ListExpr(first.Line, items, IsTuple: true);
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (PeekWord("or")) left = new BinaryExpr(Next().Line, "or", left, ParseAnd());
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (PeekWord("and")) left = new BinaryExpr(Next().Line, "and", left, ParseNot());
        return left;
    }

    private Expr ParseNot() =>
        PeekWord("not") && !PeekWord("in", 1) ? new UnaryExpr(Next().Line, "not", ParseNot()) : ParseComparison();

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            string op;
            if (PeekWord("not") && PeekWord("in", 1)) { op = "not in"; _pos++; }
            else if (PeekWord("in")) op = "in";
            else if (!AtEnd && Current.Kind == TokenKind.Operator && Comparisons.Contains(Current.Value)) op = Current.Value;
            else return left;
            var line = Next().Line;
            left = new BinaryExpr(line, op, left, ParseAdditive());
        }
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (PeekOperator("+") || PeekOperator("-") || PeekOperator("~"))
        {
            var t = Next();
            left = new BinaryExpr(t.Line, t.Value, left, ParseMultiplicative());
        }
        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParsePower();
        while (PeekOperator("*") || PeekOperator("/") || PeekOperator("//") || PeekOperator("%"))
        {
            var t = Next();
            left = new BinaryExpr(t.Line, t.Value, left, ParsePower());
        }
        return left;
    }

    private Expr ParsePower()
    {
        var left = ParseTest();
        while (PeekOperator("**"))
        {
            var t = Next();
            left = new BinaryExpr(t.Line, "**", left, ParseTest());
        }
        return left;
    }

    private Expr ParseTest()
    {
        var operand = ParseFilter();
        while (PeekWord("is"))
        {
            var line = Next().Line;
            var negate = PeekWord("not");
            if (negate) _pos++;
            var name = Expect(TokenKind.Identifier, "a test name");
            if (!Tests.Names.Contains(name.Value)) throw Unsupported($"test '{name.Value}'", $"'is {name.Value}' is not a supported test", name.Line);
            if (PeekOperator("(") || Peek(TokenKind.String) || Peek(TokenKind.Number))
                throw Unsupported($"test arguments ('is {name.Value}(...)')", "tests with arguments are not supported", name.Line);
            operand = new TestExpr(line, operand, name.Value, negate);
        }
        return operand;
    }

    private Expr ParseFilter()
    {
        var operand = ParseUnary();
        while (PeekOperator("|"))
        {
            var line = Next().Line;
            var name = Expect(TokenKind.Identifier, "a filter name");
            if (!Filters.Names.Contains(name.Value)) throw Unsupported($"filter '{name.Value}'", $"'| {name.Value}' is not a supported filter", name.Line);
            var (args, kwargs) = PeekOperator("(") ? ParseArguments() : ([], []);
            operand = new FilterExpr(line, operand, name.Value, args, kwargs);
        }
        return operand;
    }

    private Expr ParseUnary()
    {
        if (PeekOperator("-") || PeekOperator("+"))
        {
            var t = Next();
            return new UnaryExpr(t.Line, t.Value, ParseUnary());
        }
        return ParsePostfix(ParsePrimary());
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (PeekOperator("."))
            {
                var line = Next().Line;
                var t = Next();
                if (t.Kind == TokenKind.Identifier) expr = new MemberExpr(line, expr, new LiteralExpr(line, new StringValue(t.Value)));
                else if (t.Kind == TokenKind.Number && !t.Value.Contains('.')) expr = new MemberExpr(line, expr, new LiteralExpr(line, new IntValue(long.Parse(t.Value, CultureInfo.InvariantCulture))));
                else throw new ChatTemplateParseException($"expected an attribute name after '.', found {t}", t.Line);
            }
            else if (PeekOperator("["))
            {
                expr = ParseSubscript(expr, Next().Line);
            }
            else if (PeekOperator("("))
            {
                CheckCallable(expr);
                var line = Current.Line;
                var (args, kwargs) = ParseArguments();
                expr = new CallExpr(line, expr, args, kwargs);
            }
            else
            {
                return expr;
            }
        }
    }

    // Calls are checked now, so that a template calling what the renderer lacks fails at load.
    private void CheckCallable(Expr callee)
    {
        var line = Current.Line;
        switch (callee)
        {
            case NameExpr n when !Globals.Functions.Contains(n.Name) && !_macroNames.Contains(n.Name):
                throw Unsupported($"function '{n.Name}'", $"'{n.Name}(...)' is neither a supported global function nor a macro of this template", line);
            case MemberExpr { Key: LiteralExpr { Value: StringValue m } } when !Methods.Names.Contains(m.Value):
                throw Unsupported($"method '{m.Value}'", $"'.{m.Value}(...)' is not a supported method", line);
            case NameExpr or MemberExpr { Key: LiteralExpr { Value: StringValue } }:
                return;
            default:
                throw Unsupported("call of a computed value", "only named functions, macros and methods can be called", line);
        }
    }

    private Expr ParseSubscript(Expr obj, int line)
    {
        var parts = new List<Expr?>();
        var isSlice = false;
        Expr? pending = null;
        while (!PeekOperator("]"))
        {
            if (PeekOperator(":"))
            {
                _pos++;
                parts.Add(pending);
                pending = null;
                isSlice = true;
            }
            else
            {
                if (pending is not null) throw Error("expected ':' or ']' in subscript");
                pending = ParseExpression();
            }
        }
        _pos++;
        parts.Add(pending);
        if (!isSlice)
            return new MemberExpr(line, obj, parts[0] ?? throw new ChatTemplateParseException("empty subscript '[]'", line));
        if (parts.Count > 3) throw new ChatTemplateParseException("a slice takes at most three parts", line);
        while (parts.Count < 3) parts.Add(null);
        return new SliceExpr(line, obj, parts[0], parts[1], parts[2]);
    }

    private (List<Expr> Args, List<(string, Expr)> Kwargs) ParseArguments()
    {
        ExpectOperator("(");
        var args = new List<Expr>();
        var kwargs = new List<(string, Expr)>();
        while (!PeekOperator(")"))
        {
            if (PeekOperator("*") || PeekOperator("**")) throw Unsupported("argument unpacking", "'*args' / '**kwargs' in calls are not supported", Current.Line);
            if (Peek(TokenKind.Identifier) && _pos + 1 < _tokens.Count && _tokens[_pos + 1].IsOperator("="))
            {
                var key = Next().Value;
                _pos++;
                kwargs.Add((key, ParseExpression()));
            }
            else
            {
                if (kwargs.Count > 0) throw Error("positional argument follows keyword argument");
                args.Add(ParseExpression());
            }
            if (!PeekOperator(")")) ExpectOperator(",");
        }
        _pos++;
        return (args, kwargs);
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new LiteralExpr(t.Line, t.Value.Contains('.')
                    ? new FloatValue(double.Parse(t.Value, CultureInfo.InvariantCulture))
                    : new IntValue(long.Parse(t.Value, CultureInfo.InvariantCulture)));
            case TokenKind.String:
                var text = t.Value;
                while (Peek(TokenKind.String)) text += Next().Value;
                return new LiteralExpr(t.Line, new StringValue(text));
            case TokenKind.Identifier:
                return new NameExpr(t.Line, t.Value);
            case TokenKind.Operator when t.Value == "(":
                var inner = ParseExpressionSequence();
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when t.Value == "[":
                var items = new List<Expr>();
                while (!PeekOperator("]"))
                {
                    items.Add(ParseExpression());
                    if (!PeekOperator("]")) ExpectOperator(",");
                }
                _pos++;
                return new ListExpr(t.Line, items, IsTuple: false);
            case TokenKind.Operator when t.Value == "{":
                var pairs = new List<(Expr, Expr)>();
                while (!PeekOperator("}"))
                {
                    var key = ParseExpression();
                    ExpectOperator(":");
                    pairs.Add((key, ParseExpression()));
                    if (!PeekOperator("}")) ExpectOperator(",");
                }
                _pos++;
                return new DictExpr(t.Line, pairs);
            default:
                throw new ChatTemplateParseException($"unexpected {t} in expression", t.Line);
        }
    }
}
