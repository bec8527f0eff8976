using System.Diagnostics;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Tests.Parity;
using AscendAio.TestSupport;
using Xunit.Abstractions;

namespace AscendAio.Export.Tests.Families;

/// <summary>
/// Each family's stand-in exported and run through the device (ACL path, CPU device): chunked prefill across a gear
/// boundary, then decode steps, every call's logits and kv_new within 1e-4 (normwise) of the float64 reference.
/// </summary>
public sealed class FamilyParityTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string _root = TempDirectory.Create("families");

    public void Dispose() => TempDirectory.Delete(_root);

    public static TheoryData<string> StandIns => new(FamilyStandIns.All.Keys);

    [Theory]
    [MemberData(nameof(StandIns))]
    public void StandIn_ExportedAndRun_MatchesReferenceForward(string name)
    {
        var error = ExportAndCompare(name, FamilyStandIns.All[name]);
        Assert.True(error <= Tolerance, $"{name}: {error:E2} > {Tolerance:E0}");
    }

    /// <summary>Rope variants on a tiny Llama whose pre-training context (16) lies inside the tested positions, so scaling changes the result.</summary>
    [Theory]
    [InlineData("linear", """{"rope_type": "linear", "factor": 4.0}""")]
    [InlineData("dynamic", """{"type": "dynamic", "factor": 2.0}""")]
    [InlineData("llama3", """{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 16}""")]
    [InlineData("yarn", """{"rope_type": "yarn", "factor": 4.0, "beta_fast": 32.0, "beta_slow": 1.0}""")]
    [InlineData("yarn-attention-factor", """{"rope_type": "yarn", "factor": 4.0, "attention_factor": 1.3}""")]
    [InlineData("yarn-mscale", """{"rope_type": "yarn", "factor": 4.0, "mscale": 1.0, "mscale_all_dim": 0.5}""")]
    [InlineData("yarn-no-truncate", """{"rope_type": "yarn", "factor": 4.0, "beta_fast": 24.0, "beta_slow": 2.0, "truncate": false}""")]
    [InlineData("yarn-original-max", """{"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 16}""")]
    public void RopeScaling_TinyLlama_MatchesReferenceForward(string name, string ropeScaling)
    {
        var options = new TinyCheckpointOptions
        {
            Hidden = 64, Heads = 4, KvHeads = 2, RopeTheta = 100.0, MaxPositions = 64,
            Config = new Dictionary<string, object?> { ["rope_scaling"] = System.Text.Json.JsonDocument.Parse(ropeScaling).RootElement },
        };
        var error = ExportAndCompare($"rope-{name}", options);
        Assert.True(error <= Tolerance, $"{name}: {error:E2} > {Tolerance:E0}");
    }

    /// <summary>
    /// Mistral past its sliding window: window 6 in a 64-position export, so the 8-token prefill chunks and every decode
    /// step past position 5 need the window mask (past slots and new tokens both); against the reference's windowed attention.
    /// </summary>
    [Fact]
    public void Mistral_BeyondItsSlidingWindow_MatchesTheWindowedReferenceForward()
    {
        var options = new TinyCheckpointOptions
        {
            Architecture = "MistralForCausalLM", ModelType = "mistral", Hidden = 64, Heads = 4, KvHeads = 2, MaxPositions = 64,
            Config = new Dictionary<string, object?> { ["sliding_window"] = 6 },
        };
        var error = ExportAndCompare("mistral-window", options);
        Assert.True(error <= Tolerance, $"mistral beyond its window: {error:E2} > {Tolerance:E0}");
    }

    /// <summary>
    /// The family features in a float16 graph (biases, q/k norms, yarn's scaled tables; tiny sizes), within 16 units
    /// of float16 roundoff of the float64 reference, as the repo's half-precision parity tests state it.
    /// </summary>
    [Theory]
    [InlineData("Qwen2ForCausalLM", "qwen2", null, "{}")]
    [InlineData("Qwen3ForCausalLM", "qwen3", 32, "{}")]
    [InlineData("PanguEmbeddedForCausalLM", "PanguEmbedded", null, "{}")]
    [InlineData("LlamaForCausalLM", "llama", null, """{"rope_scaling": {"rope_type": "yarn", "factor": 4.0}}""")]
    public void Float16_FamilyFeatures_WithinRoundoffOfReference(string architecture, string modelType, int? headDim, string config)
    {
        var extra = System.Text.Json.JsonDocument.Parse(config).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var options = new TinyCheckpointOptions
        {
            Architecture = architecture, ModelType = modelType, Hidden = 64, Heads = 4, KvHeads = 2, HeadDim = headDim, MaxPositions = 64, Config = extra,
        };
        var error = ExportAndCompare($"f16-{architecture}", options, AscendAio.Export.Onnx.ElementType.Float16);
        var tolerance = 16 * Math.Pow(2, -11);
        Assert.True(error <= tolerance, $"{architecture}: {error:E2} > {tolerance:E2}");
    }

    private double ExportAndCompare(string name, TinyCheckpointOptions options, AscendAio.Export.Onnx.ElementType? dtype = null)
    {
        var checkpoint = TinyCheckpoint.Write(Path.Combine(_root, name, "checkpoint"), options);
        var bundle = Path.Combine(_root, name, "bundle");
        var export = BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = checkpoint.Directory,
            OutputDirectory = bundle,
            ModelName = name,
            MaxContext = 64,
            PrefillChunk = 8,
            VerifyK = 4,
            Gears = [16, 64],
            DType = dtype ?? AscendAio.Export.Onnx.ElementType.Float32,
        });
        var bundleBytes = Directory.GetFiles(bundle).Sum(f => new FileInfo(f).Length);

        var random = new Random(9);
        var tokens = Enumerable.Range(0, 18).Select(_ => random.Next(checkpoint.Config.VocabSize)).ToList();
        var reference = checkpoint.Reference().Run(tokens);

        var load = Stopwatch.StartNew();
        using var runner = BundleRunners.Open(bundle);
        var loadTime = load.Elapsed;
        runner.Poison(1e4f);
        var driver = new ParityDriver(runner, reference, idsFromOwnLogits: dtype is not null);
        driver.Prefill(tokens, 12);                     // chunks at 0 (gear 16) and 8
        for (var pos = 12; pos < tokens.Count; pos++)   // decode up to gear 16, then gear 64
        {
            driver.Step("decode", [tokens[pos]], pos, checkedRows: 1);
            runner.CommitLast(pos, 1);
        }

        Assert.Contains("decode_w64", driver.MaxErrorByCall.Keys);
        var error = driver.MaxErrorByCall.Values.Max();
        var c = checkpoint.Config;
        output.WriteLine($"{name}: {c.Architecture} hidden {c.HiddenSize} heads {c.Heads}/{c.KvHeads}x{c.HeadDim} rope {c.RopeScaling.Type} " +
            $"export {export.Elapsed.TotalSeconds:F2} s, bundle {bundleBytes / 1e6:F1} MB, load {loadTime.TotalSeconds:F2} s, max relative error {error:E2}");
        return error;
    }
}
