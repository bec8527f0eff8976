namespace AscendAio.Engine.Templates;

internal enum TokenKind
{
    Text,
    OpenStatement,   // {%
    CloseStatement,  // %}
    OpenExpression,  // {{
    CloseExpression, // }}
    Comment,
    Identifier,
    Number,
    String,
    Operator,        // + - ~ * / // % ** == != < > <= >= = | . , : ( ) [ ] { }
}

internal readonly record struct Token(TokenKind Kind, string Value, int Line)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsOperator(string value) => Kind == TokenKind.Operator && Value == value;

    public bool IsWord(string value) => Kind == TokenKind.Identifier && Value == value;

    public override string ToString() => Kind switch
    {
        TokenKind.Text => "text",
        TokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };
}
