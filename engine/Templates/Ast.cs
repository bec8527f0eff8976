namespace AscendAio.Engine.Templates;

// Statements: what a template body is made of.
internal abstract record Node(int Line);

internal sealed record TextNode(int Line, string Text) : Node(Line);

internal sealed record OutputNode(int Line, Expr Value) : Node(Line);

internal sealed record IfNode(int Line, Expr Test, List<Node> Body, List<Node> Else) : Node(Line);

/// <summary><c>{% for Target in Iterable [if Filter] %}Body{% else %}Else{% endfor %}</c></summary>
internal sealed record ForNode(int Line, Expr Target, Expr Iterable, Expr? Filter, List<Node> Body, List<Node> Else) : Node(Line);

/// <summary><c>{% set Target = Value %}</c>, or the block form <c>{% set Target %}Body{% endset %}</c>.</summary>
internal sealed record SetNode(int Line, Expr Target, Expr? Value, List<Node>? Body) : Node(Line);

internal sealed record MacroNode(int Line, string Name, List<MacroParameter> Parameters, List<Node> Body) : Node(Line);

internal sealed record MacroParameter(string Name, Expr? Default);

internal sealed record BreakNode(int Line) : Node(Line);

internal sealed record ContinueNode(int Line) : Node(Line);

// Expressions.
internal abstract record Expr(int Line);

internal sealed record LiteralExpr(int Line, Value Value) : Expr(Line);

internal sealed record NameExpr(int Line, string Name) : Expr(Line);

internal sealed record ListExpr(int Line, List<Expr> Items, bool IsTuple) : Expr(Line);

internal sealed record DictExpr(int Line, List<(Expr Key, Expr Value)> Pairs) : Expr(Line);

/// <summary><c>obj.name</c> (Key is a string literal) or <c>obj[key]</c>.</summary>
internal sealed record MemberExpr(int Line, Expr Object, Expr Key) : Expr(Line);

internal sealed record SliceExpr(int Line, Expr Object, Expr? Start, Expr? Stop, Expr? Step) : Expr(Line);

internal sealed record CallExpr(int Line, Expr Callee, List<Expr> Args, List<(string Name, Expr Value)> Kwargs) : Expr(Line);

/// <summary><c>operand | name</c> or <c>operand | name(args)</c>.</summary>
internal sealed record FilterExpr(int Line, Expr Operand, string Name, List<Expr> Args, List<(string Name, Expr Value)> Kwargs) : Expr(Line);

/// <summary><c>operand is [not] name</c>.</summary>
internal sealed record TestExpr(int Line, Expr Operand, string Name, bool Negate) : Expr(Line);

internal sealed record UnaryExpr(int Line, string Operator, Expr Operand) : Expr(Line);

internal sealed record BinaryExpr(int Line, string Operator, Expr Left, Expr Right) : Expr(Line);

/// <summary><c>Then if Condition else Else</c>; without <c>else</c> it yields undefined when the condition fails.</summary>
internal sealed record TernaryExpr(int Line, Expr Condition, Expr Then, Expr? Else) : Expr(Line);
