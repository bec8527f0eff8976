namespace AscendAio.Engine.Templates;

/// <summary>
/// Builds the statement tree, and refuses at parse time every construct the evaluator would not handle
/// (unknown statements, filters, tests, functions and methods), naming it and its line.
/// </summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> UnsupportedStatements =
        ["raw", "include", "import", "from", "extends", "block", "call", "filter", "with", "autoescape", "do", "trans", "pluralize", "endraw"];

    private readonly List<Token> _tokens;
    private readonly HashSet<string> _macroNames;
    private int _pos;

    private Parser(List<Token> tokens)
    {
        _tokens = tokens;
        _macroNames = FindMacroNames(tokens);
    }

    public static List<Node> Parse(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        var body = new List<Node>();
        while (!parser.AtEnd) body.Add(parser.ParseNode());
        return body;
    }

    private bool AtEnd => _pos >= _tokens.Count;

    private Token Current => AtEnd ? throw Error("unexpected end of template") : _tokens[_pos];

    private int LastLine => _tokens.Count == 0 ? 1 : _tokens[Math.Min(_pos, _tokens.Count - 1)].Line;

    private ChatTemplateParseException Error(string message) => new(message, LastLine);

    private ChatTemplateParseException Unsupported(string construct, string message, int line) => new(message, line, construct);

    private Token Next() => _tokens[_pos++ < _tokens.Count ? _pos - 1 : throw Error("unexpected end of template")];

    private Token Expect(TokenKind kind, string what)
    {
        var t = Current;
        if (t.Kind != kind) throw new ChatTemplateParseException($"expected {what}, found {t}", t.Line);
        _pos++;
        return t;
    }

    private void ExpectOperator(string op)
    {
        var t = Current;
        if (!t.IsOperator(op)) throw new ChatTemplateParseException($"expected '{op}', found {t}", t.Line);
        _pos++;
    }

    private void ExpectWord(string word)
    {
        var t = Current;
        if (!t.IsWord(word)) throw new ChatTemplateParseException($"expected '{word}', found {t}", t.Line);
        _pos++;
    }

    private bool Peek(TokenKind kind, int ahead = 0) => _pos + ahead < _tokens.Count && _tokens[_pos + ahead].Kind == kind;

    private bool PeekOperator(string op) => !AtEnd && _tokens[_pos].IsOperator(op);

    private bool PeekWord(string word, int ahead = 0) => _pos + ahead < _tokens.Count && _tokens[_pos + ahead].IsWord(word);

    private bool AtStatement(params string[] names) =>
        Peek(TokenKind.OpenStatement) && Peek(TokenKind.Identifier, 1) && names.Contains(_tokens[_pos + 1].Value);

    private Node ParseNode()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Text:
                _pos++;
                return new TextNode(t.Line, t.Value);
            case TokenKind.Comment:
                _pos++;
                return new TextNode(t.Line, "");
            case TokenKind.OpenExpression:
                _pos++;
                var value = ParseExpression();
                Expect(TokenKind.CloseExpression, "'}}'");
                return new OutputNode(t.Line, value);
            case TokenKind.OpenStatement:
                _pos++;
                return ParseStatement();
            default:
                throw new ChatTemplateParseException($"unexpected {t}", t.Line);
        }
    }

    private List<Node> ParseBodyUntil(string opener, int openLine, params string[] ends)
    {
        var body = new List<Node>();
        while (!AtStatement(ends))
        {
            if (AtEnd) throw new ChatTemplateParseException($"'{opener}' is never closed (expected {string.Join(" or ", ends.Select(e => $"'{e}'"))})", openLine);
            body.Add(ParseNode());
        }
        return body;
    }

    private void ExpectEnd(string end)
    {
        Expect(TokenKind.OpenStatement, "'{%'");
        ExpectWord(end);
        Expect(TokenKind.CloseStatement, "'%}'");
    }

    private Node ParseStatement()
    {
        var name = Expect(TokenKind.Identifier, "a statement name");
        var line = name.Line;
        switch (name.Value)
        {
            case "if":
                var ifNode = ParseIf(line);
                ExpectEnd("endif");
                return ifNode;
            case "for":
                return ParseFor(line);
            case "set":
                return ParseSet(line);
            case "macro":
                return ParseMacro(line);
            case "break" or "continue":
                Expect(TokenKind.CloseStatement, "'%}'");
                return name.Value == "break" ? new BreakNode(line) : new ContinueNode(line);
            case var s when UnsupportedStatements.Contains(s):
                throw Unsupported($"statement '{s}'", $"'{{% {s} %}}' is not supported by this renderer", line);
            default:
                throw new ChatTemplateParseException($"unknown statement '{name.Value}'", line);
        }
    }

    // Called after 'if' or 'elif'; leaves the closing {% endif %} to the caller of the outermost if.
    private IfNode ParseIf(int line)
    {
        var test = ParseExpression();
        Expect(TokenKind.CloseStatement, "'%}'");
        var body = ParseBodyUntil("if", line, "elif", "else", "endif");
        var otherwise = new List<Node>();
        if (AtStatement("elif"))
        {
            _pos += 2;
            otherwise.Add(ParseIf(_tokens[_pos - 1].Line));
        }
        else if (AtStatement("else"))
        {
            _pos += 2;
            Expect(TokenKind.CloseStatement, "'%}'");
            otherwise = ParseBodyUntil("if", line, "endif");
        }
        return new IfNode(line, test, body, otherwise);
    }

    private ForNode ParseFor(int line)
    {
        var target = ParseTargetList();
        ExpectWord("in");
        var iterable = ParseOr();
        Expr? filter = null;
        if (PeekWord("if"))
        {
            _pos++;
            filter = ParseOr();
        }
        if (PeekWord("recursive")) throw Unsupported("loop modifier 'recursive'", "recursive loops are not supported", Current.Line);
        Expect(TokenKind.CloseStatement, "'%}'");
        var body = ParseBodyUntil("for", line, "else", "endfor");
        var otherwise = new List<Node>();
        if (AtStatement("else"))
        {
            _pos += 2;
            Expect(TokenKind.CloseStatement, "'%}'");
            otherwise = ParseBodyUntil("for", line, "endfor");
        }
        ExpectEnd("endfor");
        return new ForNode(line, target, iterable, filter, body, otherwise);
    }

    // A name, or names separated by commas (tuple unpacking).
    private Expr ParseTargetList()
    {
        var first = Expect(TokenKind.Identifier, "a variable name");
        if (!PeekOperator(",")) return new NameExpr(first.Line, first.Value);
        var names = new List<Expr> { new NameExpr(first.Line, first.Value) };
        while (PeekOperator(","))
        {
            _pos++;
            var t = Expect(TokenKind.Identifier, "a variable name");
            names.Add(new NameExpr(t.Line, t.Value));
        }
        return new ListExpr(first.Line, names, IsTuple: true);
    }

    private SetNode ParseSet(int line)
    {
        Expr target;
        var first = Expect(TokenKind.Identifier, "a variable name");
        if (PeekOperator("."))
        {
            _pos++;
            var attribute = Expect(TokenKind.Identifier, "an attribute name");
            target = new MemberExpr(line, new NameExpr(line, first.Value), new LiteralExpr(line, new StringValue(attribute.Value)));
        }
        else
        {
            _pos--;
            target = ParseTargetList();
        }
        if (PeekOperator("="))
        {
            _pos++;
            var value = ParseExpressionSequence();
            Expect(TokenKind.CloseStatement, "'%}'");
            return new SetNode(line, target, value, null);
        }
        if (PeekOperator("|")) throw Unsupported("filtered block set", "'{% set x | filter %}' is not supported", line);
        Expect(TokenKind.CloseStatement, "'=' or '%}'");
        var body = ParseBodyUntil("set", line, "endset");
        ExpectEnd("endset");
        return new SetNode(line, target, null, body);
    }

    private MacroNode ParseMacro(int line)
    {
        var name = Expect(TokenKind.Identifier, "a macro name").Value;
        ExpectOperator("(");
        var parameters = new List<MacroParameter>();
        while (!PeekOperator(")"))
        {
            var p = Expect(TokenKind.Identifier, "a parameter name").Value;
            Expr? fallback = null;
            if (PeekOperator("="))
            {
                _pos++;
                fallback = ParseExpression();
            }
            else if (parameters.Any(x => x.Default is not null))
            {
                throw Error($"macro '{name}': parameter '{p}' without a default follows one with a default");
            }
            parameters.Add(new MacroParameter(p, fallback));
            if (!PeekOperator(")")) ExpectOperator(",");
        }
        _pos++;
        Expect(TokenKind.CloseStatement, "'%}'");
        var body = ParseBodyUntil("macro", line, "endmacro");
        ExpectEnd("endmacro");
        return new MacroNode(line, name, parameters, body);
    }

    private static HashSet<string> FindMacroNames(List<Token> tokens)
    {
        var names = new HashSet<string>();
        for (var i = 0; i + 2 < tokens.Count; i++)
            if (tokens[i].Kind == TokenKind.OpenStatement && tokens[i + 1].IsWord("macro") && tokens[i + 2].Kind == TokenKind.Identifier)
                names.Add(tokens[i + 2].Value);
        return names;
    }
}
