namespace AscendAio.Cli.Tests;

/// <summary>The `aio` command line itself: help for every command, usage errors with exit code 2.</summary>
public sealed class CommandLineTests
{
    private static readonly string[] Names = ["demo", "data", "export", "calibrate", "bench", "eval", "serve", "generate", "profile", "config", "plan"];

    public static TheoryData<string> CommandNames() => new(Names);

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void EveryCommand_AnswersHelp_WithExitCode0(string command)
    {
        var (exit, stdout, stderr) = AioConsole.Run(command, "--help");

        Assert.True(exit == 0, stderr);
        Assert.Contains($"aio {command}", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Help_ListsEveryCommand()
    {
        var (exit, stdout, _) = AioConsole.Run("help");

        Assert.Equal(0, exit);
        Assert.All(Names, name => Assert.Contains($"  {name} ", stdout));
    }

    [Fact]
    public void NoCommand_PrintsTheCommandsAndExits2()
    {
        var (exit, stdout, _) = AioConsole.Run();

        Assert.Equal(2, exit);
        Assert.Contains("usage: aio <command>", stdout);
    }

    [Fact]
    public void EvalHelp_IsGeneratedFromTheDeclaredOptions()
    {
        var (_, stdout, _) = AioConsole.Run("eval", "--help");

        foreach (var option in new[] { "--model", "--suite", "--split", "--limit", "--seed", "--bundles", "--max-new-tokens", "--max-tokens", "--items", "--json" })
            Assert.Contains(option, stdout);
        Assert.Contains("the held-out split", stdout);
        Assert.Contains("[default: test]", stdout);
    }

    [Theory]
    [InlineData(new[] { "eval", "--suite", "code" }, "--model")]
    [InlineData(new[] { "eval", "--model", "m", "--suite", "code", "--limit", "0" }, "--limit must be an integer in [1, 2147483647], got '0'")]
    [InlineData(new[] { "eval", "--model", "m", "--suite", "code", "--limit", "many" }, "--limit must be an integer in [1, 2147483647], got 'many'")]
    [InlineData(new[] { "eval", "--model", "m", "--suite", "chess" }, "--suite must be one of code, qa, math, long, probe; got 'chess'")]
    [InlineData(new[] { "eval", "--model", "m", "--suite", "code", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "eval", "--model", "m", "--suite", "probe", "--items", "x.jsonl" }, "--items is for the generation suites")]
    public void EvalUsageErrors_NameTheProblem_AndExit2(string[] args, string message)
    {
        var (exit, stdout, stderr) = AioConsole.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("aio eval: ", stderr);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData(new[] { "plan", "--device", "Ascend910B3" }, "--small or --large (a config.json or a checkpoint directory) is required")]
    [InlineData(new[] { "plan", "--small", "c.json" }, "give exactly one of --device")]
    [InlineData(new[] { "plan", "--small", "c.json", "--device", "Ascend910B3", "--device-memory", "64GiB" }, "give exactly one of --device")]
    [InlineData(new[] { "plan", "--small", "c.json", "--device", "Ascend910B3", "--dtype", "fp8" }, "--dtype must be float16, bfloat16, float32 or w8a16; got 'fp8'")]
    [InlineData(new[] { "plan", "--small", "c.json", "--device", "Ascend910B3", "--concurrency", "0" }, "--concurrency must be an integer in [1, 2147483647], got '0'")]
    public void PlanUsageErrors_NameTheProblem_AndExit2(string[] args, string message)
    {
        var (exit, stdout, stderr) = AioConsole.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("aio plan: ", stderr);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData(new[] { "demo", "--iterations", "5" }, "--iterations must be an integer in [10, 2147483647], got '5'")]
    [InlineData(new[] { "demo", "extra" }, "extra")]
    [InlineData(new[] { "export", "--out", "b" }, "--checkpoint")]
    [InlineData(new[] { "export", "--checkpoint", "c", "--out", "b", "--dtype", "int4" }, "--dtype 'int4': expected float32, float16 or bfloat16")]
    [InlineData(new[] { "export", "--checkpoint", "c", "--out", "b", "--gears", "128,x" }, "--gears: 'x' is not a positive integer")]
    [InlineData(new[] { "export", "--checkpoint", "c", "--out", "b", "--opset", "17" }, "--opset must be an integer in [13, 15], got '17'")]
    [InlineData(new[] { "export", "--checkpoint", "c", "--out", "b", "--quant", "w4" }, "w4")]
    public void DemoAndExportUsageErrors_NameTheProblem_AndExit2(string[] args, string message)
    {
        var (exit, stdout, stderr) = AioConsole.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"aio {args[0]}: ", stderr);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData(new[] { "data" }, "expected 'generate' or 'score'")]
    [InlineData(new[] { "data", "generate" }, "--out")]
    [InlineData(new[] { "data", "generate", "--out", "d", "--peple", "5" }, "--peple")]
    [InlineData(new[] { "data", "generate", "--out", "d", "--seed", "-1" }, "-1")]
    [InlineData(new[] { "data", "score", "--suite", "s.jsonl", "--completions", "c.jsonl", "--format", "mmlu" }, "--format must be tasks, humaneval, gsm8k or mc-csv; got 'mmlu'")]
    public void DataUsageErrors_NameTheProblem_AndExit2(string[] args, string message)
    {
        var (exit, stdout, stderr) = AioConsole.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("aio data: ", stderr);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void DataSubcommands_HaveTheirOwnGeneratedHelp()
    {
        var (exit, stdout, _) = AioConsole.Run("data", "score", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("aio data score [options]", stdout);
        Assert.Contains("--completions", stdout);
        Assert.DoesNotContain("--people", stdout);
    }
}
