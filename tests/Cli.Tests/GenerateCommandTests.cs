using System.Text.Json;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio generate --model`: the routed model or any configured model's served name, nothing written in code.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-generate");

    public GenerateCommandTests()
    {
        // Both bundles call themselves "tiny"; the configuration tells them apart.
        TinyBundle.Export(Path.Combine(_root, "small"));
        TinyBundle.Export(Path.Combine(_root, "large"));
    }

    public void Dispose() => TempDirectory.Delete(_root);

    private string Config(string models)
    {
        var path = Path.Combine(_root, $"aio-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""{ "models": { {{models}} }, "limits": { "maxPromptTokens": 100, "maxNewTokens": 16, "concurrentSequences": 1 } }""");
        return path;
    }

    private string Pair() => Config("""
        "small": "small/bundle", "large": "large/bundle", "smallName": "acme-mini", "largeName": "acme-max"
        """);

    private static JsonElement Route(string stdout) => JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("route");

    [Theory]
    [InlineData("acme-mini", "small")]
    [InlineData("acme-max", "large")]
    public void ConfiguredName_RunsThatModel_AndReportsItUnderTheName(string model, string role)
    {
        var (exit, stdout, stderr) = AioConsole.Run("generate", "--config", Pair(), "--model", model, "--prompt", "hi", "--max-tokens", "3", "--json");

        Assert.True(exit == 0, stderr);
        var route = Route(stdout);
        Assert.Equal(model, route.GetProperty("model").GetString());
        Assert.Equal(role, route.GetProperty("role").GetString());
    }

    [Fact]
    public void RoutedModel_ReportsTheChosenModelsConfiguredName()
    {
        var (exit, stdout, stderr) = AioConsole.Run("generate", "--config", Pair(), "--prompt", "def add(a, b):", "--max-tokens", "3", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains(Route(stdout).GetProperty("model").GetString(), new[] { "acme-mini", "acme-max" });
    }

    [Fact]
    public void UnknownName_IsAUsageErrorListingTheValidNames()
    {
        var (exit, stdout, stderr) = AioConsole.Run("generate", "--config", Pair(), "--model", "tiny", "--prompt", "hi");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--model must be one of aio, acme-mini, acme-max, got 'tiny'", stderr);
    }

    [Fact]
    public void LargeOnlyConfiguration_RunsThePinnedModel_AndRefusesRoutingSayingWhy()
    {
        var config = Config("""
            "large": "large/bundle", "largeName": "solo"
            """);

        var (pinnedExit, pinnedOut, pinnedErr) = AioConsole.Run("generate", "--config", config, "--model", "solo", "--prompt", "hi", "--max-tokens", "3", "--json");
        var (routedExit, _, routedErr) = AioConsole.Run("generate", "--config", config, "--prompt", "hi");

        Assert.True(pinnedExit == 0, pinnedErr);
        Assert.Equal("solo", Route(pinnedOut).GetProperty("model").GetString());
        Assert.Equal(2, routedExit);
        Assert.Contains("--model aio routes between a small and a large model, but only large=solo is configured (set models:small and models:large); valid here: solo", routedErr);
    }

    [Fact]
    public void JsonFile_StreamsTheTextToStdout_AndWritesTheDocumentToTheFile()
    {
        var file = Path.Combine(_root, "generation.json");

        var (exit, stdout, stderr) = AioConsole.Run("generate", "--config", Pair(), "--model", "acme-max", "--prompt", "hi", "--max-new-tokens", "3", "--json", file);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(json.RootElement.GetProperty("text").GetString() + Environment.NewLine, stdout);
        Assert.InRange(json.RootElement.GetProperty("tokens").GetArrayLength(), 1, 3);
        Assert.Contains("route     acme-max (large)", stderr);
    }
}
