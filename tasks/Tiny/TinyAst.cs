namespace AscendAio.Tasks.Tiny;

internal abstract record Expr(int Line);
internal sealed record NumberExpr(long Value, int Line) : Expr(Line);
internal sealed record NameExpr(string Name, int Line) : Expr(Line);
internal sealed record UnaryExpr(string Op, Expr Operand, int Line) : Expr(Line);
internal sealed record BinaryExpr(string Op, Expr Left, Expr Right, int Line) : Expr(Line);

internal abstract record Stmt(int Line);
internal sealed record LetStmt(string Name, Expr Value, int Line) : Stmt(Line);
internal sealed record AssignStmt(string Name, Expr Value, int Line) : Stmt(Line);
internal sealed record IfStmt(Expr Condition, IReadOnlyList<Stmt> Then, IReadOnlyList<Stmt> Else, int Line) : Stmt(Line);
/// <summary>for NAME = FROM to TO do ... end; both bounds inclusive.</summary>
internal sealed record ForStmt(string Name, Expr From, Expr To, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);
internal sealed record WhileStmt(Expr Condition, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);
internal sealed record ReturnStmt(Expr Value, int Line) : Stmt(Line);
