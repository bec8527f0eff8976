using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;
using AscendAio.Export.Tests.Bundles;
using AscendAio.TestSupport;
using Xunit.Abstractions;

namespace AscendAio.Export.Tests.Parity;

/// <summary>The tiny checkpoint exported as float16 and as bfloat16 (chunk 8, K 4, gears 16 and 64).</summary>
public sealed class HalfPrecisionBundleFixture : IDisposable
{
    public HalfPrecisionBundleFixture()
    {
        Root = TempDirectory.Create("half-bundles");
        Checkpoint = TinyCheckpoint.Write(Path.Combine(Root, "checkpoint"));
        Reference = Checkpoint.Reference();
        Float32 = Export(ElementType.Float32);
        Float16 = Export(ElementType.Float16);
        BFloat16 = Export(ElementType.BFloat16);
    }

    public string Root { get; }
    public TinyCheckpoint Checkpoint { get; }
    public ReferenceForward Reference { get; }
    public ExportResult Float32 { get; }
    public ExportResult Float16 { get; }
    public ExportResult BFloat16 { get; }

    public ExportResult Of(string dtype) => dtype switch
    {
        "float16" => Float16,
        "bfloat16" => BFloat16,
        _ => Float32,
    };

    public void Dispose() => TempDirectory.Delete(Root);

    private ExportResult Export(ElementType dtype) => BundleExporter.Export(new ExportOptions
    {
        CheckpointDirectory = Checkpoint.Directory,
        OutputDirectory = Path.Combine(Root, dtype.ManifestName()),
        ModelName = "tiny-" + dtype.ManifestName(),
        DType = dtype,
        PrefillChunk = TinyBundleFixture.Chunk,
        VerifyK = TinyBundleFixture.VerifyK,
        Gears = TinyBundleFixture.Gears,
    });
}

/// <summary>
/// float16 and bfloat16 graphs against the float64 reference forward. The CPU device runs the float16 graph itself
/// (ONNX Runtime has CPU kernels for every op of it) and the bfloat16 bundle's float32-emulated twin. Tolerance:
/// 16 units of roundoff of the dtype (float16 2^-11, bfloat16 2^-8) normwise over logits and kv_new, i.e. ≈ 7.8e-3
/// and 6.3e-2: a 2-layer model rounds each stored activation once per step, so errors of a few units are expected
/// and a graph computing in the wrong place (an unscaled or unmasked score, a missing norm) is off by O(1).
/// </summary>
public sealed class HalfPrecisionParityTests(HalfPrecisionBundleFixture fixture, ITestOutputHelper output) : IClassFixture<HalfPrecisionBundleFixture>
{
    private static double Tolerance(string dtype) => 16 * (dtype == "float16" ? Math.Pow(2, -11) : Math.Pow(2, -8));

    [Theory]
    [InlineData("float16")]
    [InlineData("bfloat16")]
    public void PrefillThenDecode_AcrossGears_WithinRoundoffOfReference(string dtype)
    {
        var tokens = RandomTokens(30, seed: 7);
        var reference = fixture.Reference.Run(tokens);
        using var runner = BundleRunners.Open(fixture.Of(dtype).BundleDirectory);
        runner.Poison(1e4f);
        var driver = new ParityDriver(runner, reference, idsFromOwnLogits: true);

        driver.Prefill(tokens, 12);                          // chunks at 0 and 8, gear 16
        for (var pos = 12; pos < tokens.Count; pos++)        // decode at gear 16, then 64
        {
            driver.Step("decode", [tokens[pos]], pos, checkedRows: 1);
            runner.CommitLast(pos, 1);
        }

        var tolerance = Tolerance(dtype);
        foreach (var (call, error) in driver.MaxErrorByCall.OrderBy(p => p.Key))
            output.WriteLine($"{dtype} {call}: max relative error {error:E2} (tolerance {tolerance:E2})");
        Assert.Equal(["decode_w16", "decode_w64", "prefill_w16"], driver.MaxErrorByCall.Keys.Order());
        Assert.All(driver.MaxErrorByCall, p => Assert.True(p.Value <= tolerance, $"{p.Key}: {p.Value:E2} > {tolerance:E2}"));
    }

    [Theory]
    [InlineData("float16")]
    [InlineData("bfloat16")]
    public void Verify_AcceptsTheGraphsOwnGreedyDrafts(string dtype)
    {
        var prompt = RandomTokens(10, seed: 8);
        using var runner = BundleRunners.Open(fixture.Of(dtype).BundleDirectory);
        var driver = new ParityDriver(runner, fixture.Reference.Run(prompt), idsFromOwnLogits: true);
        driver.Prefill(prompt, prompt.Count - 1);

        // Drafts = the graph's own greedy continuation, one decode at a time (committed), then all verified at once.
        var pos = prompt.Count - 1;
        var drafts = new List<long>();
        var last = (long)prompt[^1];
        for (var i = 0; i < TinyBundleFixture.VerifyK; i++)
        {
            var step = runner.Run([last], pos + i, 16);
            runner.CommitLast(pos + i, 1);
            last = step.NextIds[0];
            drafts.Add(last);
        }
        var verified = runner.Run([prompt[^1], .. drafts], pos, 16);

        Assert.Equal(TinyBundleFixture.VerifyK, verified.Accepted);
        Assert.Equal(drafts, verified.NextIds.Take(TinyBundleFixture.VerifyK));
    }

    [Fact]
    public void Bundles_StoreWeightsAndKvInTheDtype_WithTheFloat32GraphsStructure()
    {
        foreach (var result in new[] { fixture.Float16, fixture.BFloat16 })
        {
            var m = result.Manifest;
            Assert.Equal(m.DType, m.KvLayout.DType);
            Assert.Equal(2, m.KvLayout.ElementBytes);
            Assert.Equal(fixture.Float32.Manifest.Weights.Bytes, 2 * m.Weights.Bytes);   // every stored tensor is floating
            Assert.All(m.Graph.Inputs.Where(i => i.Name.StartsWith("past_")), i => Assert.Equal(m.DType, i.DType));
            Assert.Equal(m.DType, m.Graph.Output("kv_new").DType);
            Assert.Equal("float32", m.Graph.Output("logits").DType);
            Assert.Contains("--precision_mode=must_keep_origin_dtype", File.ReadAllText(Path.Combine(result.BundleDirectory, AtcScript.FileName)));
        }
        Assert.Null(fixture.Float16.Manifest.Graph.CpuOnnxFile);
        Assert.Equal(GraphSpec.CpuOnnxFile, fixture.BFloat16.Manifest.Graph.CpuOnnxFile);

        // The bfloat16 graph atc compiles is the float16 graph with the type swapped: same ops in the same order,
        // every initializer in weights.bin and every KV input and output in bfloat16.
        var f16 = OnnxInspector.Load(Path.Combine(fixture.Float16.BundleDirectory, GraphSpec.OnnxFile));
        var bf16 = OnnxInspector.Load(Path.Combine(fixture.BFloat16.BundleDirectory, GraphSpec.OnnxFile));
        Assert.Equal(f16.Graph.Node.Select(n => n.OpType), bf16.Graph.Node.Select(n => n.OpType));
        Assert.All(bf16.Graph.Initializer.Where(t => t.DataLocation == AscendAio.Export.Onnx.Proto.TensorProto.Types.DataLocation.External),
            t => Assert.Equal((int)ElementType.BFloat16, t.DataType));
        Assert.Equal(
            f16.Graph.Node.Where(n => n.OpType == "Cast").Select(n => n.Attribute[0].I == (long)ElementType.Float16 ? (long)ElementType.BFloat16 : n.Attribute[0].I),
            bf16.Graph.Node.Where(n => n.OpType == "Cast").Select(n => n.Attribute[0].I));
    }

    private List<int> RandomTokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(fixture.Checkpoint.Config.VocabSize)).ToList();
    }
}
