using System.Text.Json;
using AscendAio.Tasks;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio eval`: the command line a user types, its errors and which held-out split it reads.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-eval");

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public void Eval_SplitOtherThanTestOrCalibration_IsAUsageErrorWithExitCode2()
    {
        var (exit, stdout, stderr) = AioConsole.Run("eval", "--model", "some-model", "--suite", "code", "--split", "train");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--split must be test or calibration; got 'train'", stderr);
    }

    [Fact]
    public void Eval_ProbeOnTheCalibrationSplit_IsAUsageError()
    {
        var (exit, _, stderr) = AioConsole.Run("eval", "--model", "some-model", "--suite", "probe", "--split", "calibration");

        Assert.Equal(2, exit);
        Assert.Contains("the probe suite has only a test split", stderr);
    }

    [Fact]
    public void Eval_MissingBundle_IsAUsageErrorNamingThePath()
    {
        var missing = Path.Combine(_root, "no-such-bundle");
        var (exit, _, stderr) = AioConsole.Run("eval", "--model", "some-model", "--bundles", missing, "--suite", "qa");

        Assert.Equal(2, exit);
        Assert.Contains(Path.Combine(missing, "some-model"), stderr);
    }

    [Theory]
    [InlineData(Splits.Test)]
    [InlineData(Splits.Calibration)]
    public void Eval_Json_ScoresTheRequestedSplitsRequests(string split)
    {
        var bundle = TinyBundle.Export(_root);
        var itemsFile = Path.Combine(_root, $"items-{split}.jsonl");

        var (exit, stdout, stderr) = AioConsole.Run("eval", "--model", bundle, "--suite", TaskFamilies.Code, "--split", split,
            "--limit", "3", "--seed", "7", "--max-tokens", "8", "--json", "--items", itemsFile);

        Assert.True(exit == 0, stderr);
        using var score = JsonDocument.Parse(stdout);
        Assert.Equal("tiny", score.RootElement.GetProperty("model").GetString());
        Assert.Equal(TaskFamilies.Code, score.RootElement.GetProperty("suite").GetString());
        Assert.Equal(3, score.RootElement.GetProperty("n").GetInt32());
        Assert.InRange(score.RootElement.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.True(score.RootElement.GetProperty("tps").GetDouble() > 0);
        var expected = new SuiteGenerator(7).Generate(TaskFamilies.Code, split).Take(3).Select(i => i.Id);
        var written = File.ReadLines(itemsFile).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString());
        Assert.Equal(expected, written);
    }

    [Fact]
    public void UnknownCommand_PrintsTheCommandsAndExits2()
    {
        var (exit, _, stderr) = AioConsole.Run("evaluate");

        Assert.Equal(2, exit);
        Assert.Contains("unknown command 'evaluate'", stderr);
        Assert.Contains("eval", stderr);
    }
}
