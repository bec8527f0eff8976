namespace AscendAio.Tasks.Tiny;

/// <summary>
/// A parsed Tiny function body. Tiny is the task suites' small language: integers only,
/// <c>let</c>, assignment, <c>if/then/else/end</c>, <c>for i = a to b do ... end</c> (inclusive),
/// <c>while ... do ... end</c>, <c>return</c>; operators + - * / % == != &lt; &lt;= &gt; &gt;= and or not.
/// Running it is safe on any input: a step limit stops endless loops, arithmetic is checked,
/// and every failure is a <see cref="TinyException"/>.
/// </summary>
public sealed class TinyProgram
{
    public const int DefaultMaxSteps = 100_000;

    private readonly IReadOnlyList<Stmt> _body;

    private TinyProgram(IReadOnlyList<Stmt> body) => _body = body;

    /// <exception cref="TinyException">The source is not a valid Tiny program.</exception>
    public static TinyProgram Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new TinyProgram(TinyParser.Parse(source));
    }

    /// <summary>Runs the body with the parameters bound to the arguments and returns the returned value.</summary>
    /// <exception cref="TinyException">A runtime error, no return, or more than <paramref name="maxSteps"/> steps.</exception>
    public long Run(IReadOnlyList<string> parameters, IReadOnlyList<long> arguments, int maxSteps = DefaultMaxSteps)
    {
        if (parameters.Count != arguments.Count)
            throw new ArgumentException($"{parameters.Count} parameters but {arguments.Count} arguments", nameof(arguments));
        var run = new Execution(maxSteps);
        for (int i = 0; i < parameters.Count; i++)
            run.Variables[parameters[i]] = arguments[i];
        if (run.ExecBlock(_body) is long value)
            return value;
        throw new TinyException("the function ended without 'return'", 0);
    }

    private sealed class Execution(int maxSteps)
    {
        public readonly Dictionary<string, long> Variables = new(StringComparer.Ordinal);
        private int _steps;

        private void Step(int line)
        {
            if (++_steps > maxSteps)
                throw new TinyException($"step limit of {maxSteps} exceeded", line);
        }

        /// <summary>Returns the value of a <c>return</c> reached inside the block, or null.</summary>
        public long? ExecBlock(IReadOnlyList<Stmt> block)
        {
            foreach (var stmt in block)
            {
                if (Exec(stmt) is long value)
                    return value;
            }
            return null;
        }

        private long? Exec(Stmt stmt)
        {
            Step(stmt.Line);
            switch (stmt)
            {
                case LetStmt let:
                    Variables[let.Name] = Eval(let.Value);
                    return null;
                case AssignStmt assign:
                    if (!Variables.ContainsKey(assign.Name))
                        throw new TinyException($"assignment to undeclared variable '{assign.Name}' (use 'let')", assign.Line);
                    Variables[assign.Name] = Eval(assign.Value);
                    return null;
                case IfStmt ifs:
                    return ExecBlock(Eval(ifs.Condition) != 0 ? ifs.Then : ifs.Else);
                case ForStmt loop:
                {
                    long from = Eval(loop.From), to = Eval(loop.To);
                    for (long i = from; i <= to; i++)
                    {
                        Step(loop.Line);
                        Variables[loop.Name] = i;
                        if (ExecBlock(loop.Body) is long value)
                            return value;
                    }
                    return null;
                }
                case WhileStmt loop:
                    while (Eval(loop.Condition) != 0)
                    {
                        Step(loop.Line);
                        if (ExecBlock(loop.Body) is long value)
                            return value;
                    }
                    return null;
                case ReturnStmt ret:
                    return Eval(ret.Value);
                default:
                    throw new TinyException($"unknown statement {stmt.GetType().Name}", stmt.Line);
            }
        }

        private long Eval(Expr expr)
        {
            Step(expr.Line);
            switch (expr)
            {
                case NumberExpr n:
                    return n.Value;
                case NameExpr v:
                    return Variables.TryGetValue(v.Name, out long value)
                        ? value
                        : throw new TinyException($"unknown variable '{v.Name}'", v.Line);
                case UnaryExpr u:
                {
                    long x = Eval(u.Operand);
                    return u.Op == "not" ? (x == 0 ? 1 : 0) : Arithmetic("-", 0, x, u.Line);
                }
                case BinaryExpr b:
                    return EvalBinary(b);
                default:
                    throw new TinyException($"unknown expression {expr.GetType().Name}", expr.Line);
            }
        }

        private long EvalBinary(BinaryExpr b)
        {
            long l = Eval(b.Left);
            // and/or short-circuit like in most languages.
            if (b.Op == "and") return l != 0 && Eval(b.Right) != 0 ? 1 : 0;
            if (b.Op == "or") return l != 0 || Eval(b.Right) != 0 ? 1 : 0;
            long r = Eval(b.Right);
            return b.Op switch
            {
                "+" or "-" or "*" => Arithmetic(b.Op, l, r, b.Line),
                "/" => r == 0 ? throw new TinyException("division by zero", b.Line) : Arithmetic("/", l, r, b.Line),
                "%" => r == 0 ? throw new TinyException("modulo by zero", b.Line) : l % r,
                "==" => l == r ? 1 : 0,
                "!=" => l != r ? 1 : 0,
                "<" => l < r ? 1 : 0,
                "<=" => l <= r ? 1 : 0,
                ">" => l > r ? 1 : 0,
                ">=" => l >= r ? 1 : 0,
                _ => throw new TinyException($"unknown operator '{b.Op}'", b.Line),
            };
        }

        private static long Arithmetic(string op, long l, long r, int line)
        {
            try
            {
                return op switch
                {
                    "+" => checked(l + r),
                    "-" => checked(l - r),
                    "*" => checked(l * r),
                    _ => checked(l / r),
                };
            }
            catch (OverflowException)
            {
                throw new TinyException("integer overflow", line);
            }
        }
    }
}
