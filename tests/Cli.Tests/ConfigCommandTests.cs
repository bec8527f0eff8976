namespace AscendAio.Cli.Tests;

/// <summary>`aio config check` with --section:key=value overrides: applied over the file, and named as their source when wrong.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly TinyPair _pair = new("cli-config");

    public void Dispose() => _pair.Dispose();

    [Fact]
    public void Check_WithOverrides_PrintsTheOverriddenValuesAndPasses()
    {
        var (exit, stdout, stderr) = AioConsole.Run("config", "check", "--config", _pair.Config, "--limits:maxNewTokens=8", "--limits:queueLength", "5");

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains($"configuration: {_pair.Config}", stdout);
        Assert.Contains("max prompt 100 tokens, max new 8, 2 concurrent sequences, queue 5,", stdout);
        Assert.Contains($"(served as {TinyPair.LargeName})", stdout);
        Assert.Contains("ok: no errors", stdout);
    }

    [Fact]
    public void Check_WithABadOverride_NamesTheKeyAndTheCommandLineAsItsSource_AndExits1()
    {
        var (exit, stdout, _) = AioConsole.Run("config", "check", "--config", _pair.Config, "--limits:maxNewTokens=many");

        Assert.Equal(1, exit);
        Assert.Contains("error   limits:maxNewTokens  [command line --limits:maxNewTokens]", stdout);
        Assert.Contains("1 error(s)", stdout);
    }
}
