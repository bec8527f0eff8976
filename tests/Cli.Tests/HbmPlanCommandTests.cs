using AscendAio.Engine.Planning;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>
/// The device-memory plan from the command line: `aio config check` prints it and refuses a configuration that
/// cannot fit (the CPU device's memory limited through aclInit's aio_cpu.device_memory_bytes), `aio generate`
/// refuses to load it, and `aio plan` plans from config.json files alone.
/// </summary>
public sealed class HbmPlanCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-plan");

    public void Dispose() => TempDirectory.Delete(_root);

    private static string Config(string name) => Path.Combine(AppContext.BaseDirectory, "Planning", "Configs", name);

    /// <summary>Two tiny bundles and an aio.json whose device has <paramref name="deviceBytes"/> (null: the CPU device's default).</summary>
    private (string Config, string Small, string Large) Write(long? deviceBytes, int concurrency)
    {
        var small = TinyBundle.Export(Path.Combine(_root, "small"));
        var large = TinyBundle.Export(Path.Combine(_root, "large"));
        var acl = Path.Combine(_root, "acl.json");
        File.WriteAllText(acl, deviceBytes is { } bytes ? $$"""{ "aio_cpu": { "device_memory_bytes": {{bytes}} } }""" : "{}");
        var config = Path.Combine(_root, "aio.json");
        File.WriteAllText(config, $$"""
            {
              "device": { "id": 0, "aclConfig": "acl.json" },
              "models": { "small": "small/bundle", "large": "large/bundle", "smallName": "tiny-small", "largeName": "tiny-large" },
              "limits": { "maxPromptTokens": 100, "maxNewTokens": 50, "concurrentSequences": {{concurrency}} }
            }
            """);
        return (config, small, large);
    }

    /// <summary>Device bytes at which exactly <paramref name="sequences"/> sequences per model fit, half a sequence to spare.</summary>
    private static long DeviceFitting(string small, string large, int sequences)
    {
        var footprints = new[] { BundleFootprint.Load(small), BundleFootprint.Load(large) };
        var fixedBytes = footprints.Sum(f => f.WeightBytes + f.WorkspaceBytes);
        var perSequence = footprints.Sum(f => f.KvBytesPerSequence(150));
        // The default reserve is 5 % of the device: M = fixed + (n + ½)·perSequence + 0.05·M.
        return (long)((fixedBytes + (sequences + 0.5) * perSequence) / (1 - HbmReserve.Default.Fraction));
    }

    [Fact]
    public void ConfigCheck_PlanThatFits_PrintsTheBreakdownAndPasses()
    {
        var (config, _, _) = Write(deviceBytes: null, concurrency: 4);

        var (exit, stdout, stderr) = AioConsole.Run("config", "check", "--config", config);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("HBM plan: 4 sequence(s) per model at context 150", stdout);
        Assert.Contains("weights", stdout);
        Assert.Contains("KV cache", stdout);
        Assert.Contains("fits:", stdout);
    }

    [Fact]
    public void ConfigCheck_PlanThatCannotFit_FailsNamingTheLargestConcurrencyThatFits()
    {
        var small = TinyBundle.Export(Path.Combine(_root, "probe-small"));
        var large = TinyBundle.Export(Path.Combine(_root, "probe-large"));
        var (config, _, _) = Write(DeviceFitting(small, large, sequences: 3), concurrency: 8);

        var (exit, stdout, _) = AioConsole.Run("config", "check", "--config", config);

        Assert.Equal(1, exit);
        Assert.Contains("does not fit: 8 sequence(s) at context 150", stdout);
        Assert.Contains("at most 3 concurrent sequence(s) fit at context 150", stdout);
        Assert.Contains("error   HBM plan", stdout);
    }

    [Fact]
    public void Generate_DamagedGraphFile_IsAClearErrorNotACrash()
    {
        var (config, _, large) = Write(deviceBytes: null, concurrency: 1);
        var graph = Path.Combine(large, "model.onnx");
        File.WriteAllBytes(graph, File.ReadAllBytes(graph).AsSpan(0, 100).ToArray());   // truncated, as by a failed copy

        var (exit, _, stderr) = AioConsole.Run("generate", "--config", config, "--model", "tiny-large", "--prompt", "hi", "--max-tokens", "4");

        Assert.Equal(1, exit);
        Assert.Contains("aio generate: cannot load the models: aclmdlLoadFromFile", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }

    [Fact]
    public void Generate_PlanThatCannotFit_IsRefusedBeforeAnyModelLoads()
    {
        var small = TinyBundle.Export(Path.Combine(_root, "probe-small"));
        var large = TinyBundle.Export(Path.Combine(_root, "probe-large"));
        var (config, _, _) = Write(DeviceFitting(small, large, sequences: 1), concurrency: 16);

        var (exit, _, stderr) = AioConsole.Run("generate", "--config", config, "--model", "tiny-small", "--prompt", "hi", "--max-tokens", "4");

        Assert.Equal(1, exit);
        Assert.Contains("aio generate: the device-memory plan does not fit", stderr);
        Assert.Contains("at most", stderr);
    }

    [Fact]
    public void Plan_FromConfigJson_PrintsParametersAndTheVerdict()
    {
        var (exit, stdout, stderr) = AioConsole.Run("plan", "--small", Config("qwen2.5-1.5b-instruct.json"), "--large", Config("qwen2.5-7b-instruct.json"),
            "--dtype", "float16", "--context", "2048", "--concurrency", "4", "--device", "Ascend910B3");

        Assert.True(exit == 0, stderr);
        Assert.Contains("1,543,714,304 parameters", stdout);
        Assert.Contains("7,615,616,512 parameters", stdout);
        Assert.Contains("against 64.00 GiB (Ascend910B3 preset)", stdout);
        Assert.Contains("fits:", stdout);
    }

    [Fact]
    public void Plan_ThatCannotFit_ExitsOneWithTheLargestContext()
    {
        var (exit, stdout, _) = AioConsole.Run("plan", "--small", Config("llama-3.2-1b.json"), "--large", Config("llama-3.1-8b.json"),
            "--dtype", "float32", "--context", "32768", "--concurrency", "8", "--device-memory", "32GiB");

        Assert.Equal(1, exit);
        Assert.Contains("does not fit", stdout);
    }

    [Fact]
    public void Plan_WithoutADevice_IsAUsageError()
    {
        var (exit, _, stderr) = AioConsole.Run("plan", "--small", Config("llama-3.2-1b.json"));

        Assert.Equal(2, exit);
        Assert.Contains("--device", stderr);
    }
}
