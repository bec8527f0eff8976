using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>
/// A damaged or incomplete bundle is found by `aio config check` (--deep: by loading and running it too) and is a
/// one-line error with exit code 1 from `aio generate`, `serve`, `eval` and `bench`, never an unhandled exception.
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

    [Theory]
    [InlineData("truncated-weights")]
    [InlineData("empty-weights")]
    [InlineData("truncated-graph")]
    [InlineData("random-graph")]
    [InlineData("missing-tokenizer")]
    public void ServeEvalAndBench_FailWithOneLine_ExitCode1(string damage)
    {
        var bundle = TinyBundle.Export(Path.Combine(_root, damage));
        Damage(bundle, damage);
        var config = Path.Combine(_root, damage + ".json");
        File.WriteAllText(config, $$"""{ "models": { "small": "{{bundle}}", "large": "{{bundle}}", "smallName": "tiny-small", "largeName": "tiny-large" } }""");

        var runs = new Dictionary<string, (int Exit, string Out, string Err)>
        {
            ["serve"] = AioConsole.Run("serve", "--config", config, "--urls", "http://127.0.0.1:0"),
            ["eval"] = AioConsole.Run("eval", "--model", bundle, "--suite", "qa", "--limit", "1"),
            ["bench"] = AioConsole.Run("bench", "--config", config, "--quick", "--configs", "static-small", "--requests", "1", "--no-bandwidth",
                "--out", Path.Combine(_root, damage + "-bench")),
        };

        foreach (var (command, (exit, _, err)) in runs)
        {
            Assert.True(exit == 1, $"aio {command} exited {exit}: {err}");
            Assert.StartsWith($"aio {command}: ", err.Split('\n').First(l => l.StartsWith("aio ", StringComparison.Ordinal)));
            Assert.DoesNotContain("Unhandled exception", err);
            Assert.DoesNotContain("   at ", err);   // no stack trace without --verbose
        }
    }

    [Fact]
    public void ConfigCheckDeep_OnIntactBundles_GeneratesWithEveryServedModel()
    {
        var bundle = TinyBundle.Export(Path.Combine(_root, "intact-deep"));
        var config = Path.Combine(_root, "intact-deep.json");
        File.WriteAllText(config, $$"""{ "models": { "small": "{{bundle}}", "large": "{{bundle}}", "smallName": "tiny-small", "largeName": "tiny-large" } }""");

        var (exit, stdout, _) = AioConsole.Run("config", "check", "--config", config, "--deep");

        Assert.Equal(0, exit);
        foreach (var model in new[] { "aio", "tiny-small", "tiny-large" })
            Assert.Contains($"deep    {model}: loaded and generated", stdout);
        Assert.Contains("ok: no errors", stdout);
    }

    [Fact]
    public void ConfigCheckDeep_FindsAGraphThatParsesButCannotRun()
    {
        var bundle = TinyBundle.Export(Path.Combine(_root, "unknown-op"));
        // Same inputs, outputs and weights: only loading it on the device shows the operator no runtime has.
        var graph = Path.Combine(bundle, "model.onnx");
        var model = AscendAio.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(graph));
        model.Graph.Node[0].OpType = "NoSuchOperator";
        File.WriteAllBytes(graph, Google.Protobuf.MessageExtensions.ToByteArray(model));
        var config = Path.Combine(_root, "unknown-op.json");
        File.WriteAllText(config, $$"""{ "models": { "small": "{{bundle}}", "large": "{{bundle}}", "smallName": "tiny-small", "largeName": "tiny-large" } }""");

        var (shallowExit, shallow, _) = AioConsole.Run("config", "check", "--config", config);
        var (deepExit, deep, _) = AioConsole.Run("config", "check", "--config", config, "--deep");

        Assert.Equal(0, shallowExit);
        Assert.Contains("ok: no errors", shallow);
        Assert.Equal(1, deepExit);
        Assert.Contains("error   deep", deep);
        Assert.DoesNotContain("ok: no errors", deep);
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
