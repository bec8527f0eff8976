namespace AscendAio.Tasks.Tiny;

/// <summary>
/// Recursive-descent parser for Tiny. Nesting depth is capped so hostile input (thousands of
/// parentheses) ends in a <see cref="TinyException"/>, never a stack overflow.
/// </summary>
internal sealed class TinyParser
{
    public const int MaxDepth = 64;
    public const int MaxTokens = 20_000;

    private readonly List<Token> _tokens;
    private int _pos;
    private int _depth;

    private TinyParser(List<Token> tokens) => _tokens = tokens;

    public static IReadOnlyList<Stmt> Parse(string source)
    {
        var parser = new TinyParser(TinyLexer.Tokenize(source, MaxTokens));
        var body = parser.ParseBlock(topLevel: true);
        return body;
    }

    private Token Peek => _tokens[_pos];

    private Token Advance() => _tokens[_pos++];

    private bool IsKeyword(string word) => Peek.Kind == TokenKind.Keyword && Peek.Text == word;

    private bool IsSymbol(string symbol) => Peek.Kind == TokenKind.Symbol && Peek.Text == symbol;

    private Token Expect(TokenKind kind, string? text, string what)
    {
        var t = Peek;
        if (t.Kind != kind || (text is not null && t.Text != text))
            throw new TinyException($"expected {what} but found {Describe(t)}", t.Line);
        return Advance();
    }

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.End => "end of program",
        TokenKind.Newline => "end of line",
        _ => $"'{t.Text}'",
    };

    private void SkipNewlines()
    {
        while (Peek.Kind == TokenKind.Newline) Advance();
    }

    private void Enter(int line)
    {
        if (++_depth > MaxDepth)
            throw new TinyException($"nesting deeper than {MaxDepth}", line);
    }

    private List<Stmt> ParseBlock(bool topLevel)
    {
        var statements = new List<Stmt>();
        while (true)
        {
            SkipNewlines();
            if (Peek.Kind == TokenKind.End)
            {
                if (!topLevel)
                    throw new TinyException("missing 'end'", Peek.Line);
                return statements;
            }
            if (!topLevel && (IsKeyword("end") || IsKeyword("else")))
                return statements;
            statements.Add(ParseStatement());
        }
    }

    private Stmt ParseStatement()
    {
        var t = Peek;
        Enter(t.Line);
        Stmt result;
        if (IsKeyword("let"))
        {
            Advance();
            string name = Expect(TokenKind.Name, null, "a variable name").Text;
            Expect(TokenKind.Symbol, "=", "'='");
            result = new LetStmt(name, ParseExpr(), t.Line);
        }
        else if (IsKeyword("if"))
        {
            Advance();
            var cond = ParseExpr();
            Expect(TokenKind.Keyword, "then", "'then'");
            var then = ParseBlock(topLevel: false);
            IReadOnlyList<Stmt> otherwise = [];
            if (IsKeyword("else"))
            {
                Advance();
                otherwise = ParseBlock(topLevel: false);
            }
            Expect(TokenKind.Keyword, "end", "'end'");
            result = new IfStmt(cond, then, otherwise, t.Line);
        }
        else if (IsKeyword("for"))
        {
            Advance();
            string name = Expect(TokenKind.Name, null, "a loop variable").Text;
            Expect(TokenKind.Symbol, "=", "'='");
            var from = ParseExpr();
            Expect(TokenKind.Keyword, "to", "'to'");
            var to = ParseExpr();
            Expect(TokenKind.Keyword, "do", "'do'");
            var body = ParseBlock(topLevel: false);
            Expect(TokenKind.Keyword, "end", "'end'");
            result = new ForStmt(name, from, to, body, t.Line);
        }
        else if (IsKeyword("while"))
        {
            Advance();
            var cond = ParseExpr();
            Expect(TokenKind.Keyword, "do", "'do'");
            var body = ParseBlock(topLevel: false);
            Expect(TokenKind.Keyword, "end", "'end'");
            result = new WhileStmt(cond, body, t.Line);
        }
        else if (IsKeyword("return"))
        {
            Advance();
            result = new ReturnStmt(ParseExpr(), t.Line);
        }
        else if (t.Kind == TokenKind.Name)
        {
            Advance();
            Expect(TokenKind.Symbol, "=", "'='");
            result = new AssignStmt(t.Text, ParseExpr(), t.Line);
        }
        else
        {
            throw new TinyException($"expected a statement but found {Describe(t)}", t.Line);
        }
        if (Peek.Kind != TokenKind.End)
            Expect(TokenKind.Newline, null, "end of line");
        _depth--;
        return result;
    }

    // Precedence, loosest first: or, and, not, comparison, + -, * / %, unary -.
    private Expr ParseExpr() => ParseOr();

    private Expr ParseOr() => ParseLeftAssoc(ParseAnd, TokenKind.Keyword, "or");

    private Expr ParseAnd() => ParseLeftAssoc(ParseNot, TokenKind.Keyword, "and");

    private Expr ParseNot()
    {
        if (!IsKeyword("not"))
            return ParseComparison();
        var t = Advance();
        Enter(t.Line);
        var operand = ParseNot();
        _depth--;
        return new UnaryExpr("not", operand, t.Line);
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Advance();
            left = new BinaryExpr(op.Text, left, ParseAdditive(), op.Line);
        }
        return left;
    }

    private Expr ParseAdditive() => ParseLeftAssoc(ParseMultiplicative, TokenKind.Symbol, "+", "-");

    private Expr ParseMultiplicative() => ParseLeftAssoc(ParseUnary, TokenKind.Symbol, "*", "/", "%");

    private Expr ParseLeftAssoc(Func<Expr> next, TokenKind kind, params string[] ops)
    {
        var left = next();
        while (Peek.Kind == kind && Array.IndexOf(ops, Peek.Text) >= 0)
        {
            var op = Advance();
            left = new BinaryExpr(op.Text, left, next(), op.Line);
        }
        return left;
    }

    private Expr ParseUnary()
    {
        var t = Peek;
        Enter(t.Line);
        Expr result;
        if (IsSymbol("-"))
        {
            Advance();
            result = new UnaryExpr("-", ParseUnary(), t.Line);
        }
        else if (IsSymbol("("))
        {
            Advance();
            result = ParseExpr();
            Expect(TokenKind.Symbol, ")", "')'");
        }
        else if (t.Kind == TokenKind.Number)
        {
            Advance();
            result = new NumberExpr(t.Value, t.Line);
        }
        else if (t.Kind == TokenKind.Name)
        {
            Advance();
            result = new NameExpr(t.Text, t.Line);
        }
        else
        {
            throw new TinyException($"expected a value but found {Describe(t)}", t.Line);
        }
        _depth--;
        return result;
    }
}
