using AscendAio.Tasks.Tiny;

namespace AscendAio.Tasks.Tests;

public class TinyProgramTests
{
    private static long Run(string source, params (string Name, long Value)[] args) =>
        TinyProgram.Parse(source).Run(args.Select(a => a.Name).ToArray(), args.Select(a => a.Value).ToArray());

    [Fact]
    public void Run_Expression_UsesUsualPrecedence() => Assert.Equal(14, Run("return 2 + 3 * 4"));

    [Fact]
    public void Run_Parentheses_OverridePrecedence() => Assert.Equal(20, Run("return (x + 3) * 4", ("x", 2)));

    [Fact]
    public void Run_ForLoop_IncludesBothBounds() =>
        Assert.Equal(15, Run("let s = 0\nfor i = 1 to n do\ns = s + i\nend\nreturn s", ("n", 5)));

    [Fact]
    public void Run_IfElse_TakesTheRightBranch()
    {
        const string src = "if x > y then\nreturn x\nelse\nreturn y\nend";
        Assert.Equal(7, Run(src, ("x", 7), ("y", 3)));
        Assert.Equal(9, Run(src, ("x", 2), ("y", 9)));
    }

    [Fact]
    public void Run_WhileWithLogicalOperators_Terminates() =>
        Assert.Equal(4, Run("let c = 0\nwhile c < 10 and not c == 4 do\nc = c + 1\nend\nreturn c"));

    [Fact]
    public void Run_NegativeModulo_TruncatesLikeCSharp() => Assert.Equal(-1, Run("return -7 % 3"));

    [Fact]
    public void Run_EndlessLoop_HitsStepLimit()
    {
        var e = Assert.Throws<TinyException>(() => TinyProgram.Parse("while 1 do\nend\nreturn 0").Run([], [], maxSteps: 1000));
        Assert.Contains("step limit", e.Message);
    }

    [Fact]
    public void Parse_ThousandsOfParentheses_ThrowsInsteadOfOverflowingTheStack()
    {
        string deep = "return " + new string('(', 5_000) + "1" + new string(')', 5_000);
        var e = Assert.Throws<TinyException>(() => TinyProgram.Parse(deep));
        Assert.Contains("nesting", e.Message);
    }

    [Fact]
    public void Parse_OverlongProgram_IsRejected() =>
        Assert.Contains("longer than", Assert.Throws<TinyException>(() => TinyProgram.Parse(string.Concat(Enumerable.Repeat("let a = 1\n", 10_000)))).Message);

    [Fact]
    public void Parse_DeeplyNestedIfs_ThrowsNestingError()
    {
        string deep = string.Concat(Enumerable.Repeat("if 1 then\n", 200)) + "return 1\n" + string.Concat(Enumerable.Repeat("end\n", 200));
        Assert.Throws<TinyException>(() => TinyProgram.Parse(deep));
    }

    [Fact]
    public void Run_DivisionByZero_ThrowsWithLine()
    {
        var e = Assert.Throws<TinyException>(() => TinyProgram.Parse("let a = 1\nreturn a / 0").Run([], []));
        Assert.Equal(2, e.Line);
        Assert.Contains("division by zero", e.Message);
    }

    [Fact]
    public void Run_Overflow_ThrowsInsteadOfWrapping()
    {
        var e = Assert.Throws<TinyException>(() =>
            TinyProgram.Parse("let s = 2\nfor i = 1 to 100 do\ns = s * s\nend\nreturn s").Run([], []));
        Assert.Contains("overflow", e.Message);
    }

    [Fact]
    public void Run_UndeclaredAssignment_NamesTheVariable()
    {
        var e = Assert.Throws<TinyException>(() => TinyProgram.Parse("z = 1\nreturn z").Run([], []));
        Assert.Contains("'z'", e.Message);
    }

    [Fact]
    public void Run_NoReturn_Throws() =>
        Assert.Throws<TinyException>(() => TinyProgram.Parse("let a = 1").Run([], []));

    [Fact]
    public void Parse_MissingEnd_ReportsIt()
    {
        var e = Assert.Throws<TinyException>(() => TinyProgram.Parse("if 1 then\nreturn 1"));
        Assert.Contains("missing 'end'", e.Message);
    }

    [Fact]
    public void Parse_UnexpectedCharacter_ReportsLineAndCharacter()
    {
        var e = Assert.Throws<TinyException>(() => TinyProgram.Parse("let a = 1\nreturn a $ 2"));
        Assert.Equal(2, e.Line);
        Assert.Contains("'$'", e.Message);
    }

    [Fact]
    public void Parse_HugeNumber_IsRejected() =>
        Assert.Throws<TinyException>(() => TinyProgram.Parse("return 99999999999999999999999"));
}
