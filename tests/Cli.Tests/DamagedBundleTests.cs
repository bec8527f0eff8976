using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>
/// A damaged or incomplete bundle is found by `aio config check` and is a one-line error with exit code 1 from
/// `aio generate`, never an unhandled exception.
/// </summary>
public sealed class DamagedBundleTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-damaged");

    public void Dispose() => TempDirectory.Delete(_root);

    [Theory]
    [InlineData("truncated-weights", "truncated?")]
    [InlineData("empty-weights", "truncated?")]
    [InlineData("truncated-graph", "model.onnx")]
    [InlineData("random-graph", "model.onnx is not a readable ONNX model")]
    [InlineData("missing-tokenizer", "tokenizer")]
    [InlineData("unsupported-chat-template", "chat template: ")]
    public void ConfigCheckFindsIt_AndGenerateFailsWithOneLine(string damage, string expected)
    {
        var bundle = TinyBundle.Export(Path.Combine(_root, damage));
        Damage(bundle, damage);
        var config = Path.Combine(_root, damage + ".json");
        File.WriteAllText(config, $$"""{ "models": { "small": "{{bundle}}", "large": "{{bundle}}", "smallName": "tiny-small", "largeName": "tiny-large" } }""");

        var (checkExit, checkOut, _) = AioConsole.Run("config", "check", "--config", config);
        var (generateExit, _, generateErr) = AioConsole.Run("generate", "--config", config, "--model", "tiny-large", "--prompt", "hi", "--max-tokens", "2");

        Assert.Equal(1, checkExit);
        Assert.Contains(expected, checkOut);
        Assert.DoesNotContain("ok: no errors", checkOut);
        Assert.Equal(1, generateExit);
        Assert.StartsWith("aio generate: ", generateErr);
        Assert.DoesNotContain("Unhandled exception", generateErr);
        Assert.DoesNotContain("   at ", generateErr);   // no stack trace without --verbose
    }

    [Fact]
    public void ConfigCheck_OnIntactBundles_ReportsNoBundleErrors()
    {
        var bundle = TinyBundle.Export(Path.Combine(_root, "intact"));
        var config = Path.Combine(_root, "intact.json");
        File.WriteAllText(config, $$"""{ "models": { "small": "{{bundle}}", "large": "{{bundle}}", "smallName": "tiny-small", "largeName": "tiny-large" } }""");

        var (exit, stdout, _) = AioConsole.Run("config", "check", "--config", config);

        Assert.Equal(0, exit);
        Assert.Contains("ok: no errors", stdout);
    }

    private static void Damage(string bundle, string damage)
    {
        string weights = Path.Combine(bundle, "weights.bin"), graph = Path.Combine(bundle, "model.onnx");
        switch (damage)
        {
            case "truncated-weights":
                File.WriteAllBytes(weights, File.ReadAllBytes(weights).AsSpan(0, (int)(new FileInfo(weights).Length / 3)).ToArray());
                break;
            case "empty-weights":
                File.WriteAllBytes(weights, []);
                break;
            case "truncated-graph":
                File.WriteAllBytes(graph, File.ReadAllBytes(graph).AsSpan(0, (int)(new FileInfo(graph).Length / 2)).ToArray());
                break;
            case "random-graph":
                var noise = new byte[4096];
                new Random(1).NextBytes(noise);
                File.WriteAllBytes(graph, noise);
                break;
            case "unsupported-chat-template":
                ChatStandIn.CopyWithTemplate(bundle, bundle, "{% for m in messages %}{% include 'turn.jinja' %}{% endfor %}");
                break;
            default:
                foreach (var file in Directory.GetFiles(bundle, "vocab.json").Concat(Directory.GetFiles(bundle, "tokenizer.json")))
                    File.Delete(file);
                break;
        }
    }
}
