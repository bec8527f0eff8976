using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Tests.Parity;

namespace AscendAio.Export.Tests.Bundles;

/// <summary>What an export writes besides the numbers: bundle.json, the tokenizer, atc.sh, the shared weight file.</summary>
public sealed class BundleExportTests(TinyBundleFixture fixture) : IClassFixture<TinyBundleFixture>
{
    private BundleManifest Manifest => BundleManifest.Load(fixture.Float.BundleDirectory);

    [Fact]
    public void Export_WritesOneGraphPerKindVariantAndGear()
    {
        var graphs = Manifest.Graphs;

        Assert.Equal(12, graphs.Count);   // (prefill, decode, verify) x (greedy, logits) x gears 16, 64
        foreach (var gear in TinyBundleFixture.Gears)
            foreach (var kind in Enum.GetValues<GraphKind>())
                foreach (var variant in Enum.GetValues<GraphVariant>())
                    Assert.Single(graphs, g => g.Kind == kind && g.Variant == variant && g.Gear == gear);
        Assert.All(graphs, g => Assert.True(File.Exists(Path.Combine(fixture.Float.BundleDirectory, g.File)), g.File));
        Assert.All(graphs, g => Assert.Equal(new FileInfo(Path.Combine(fixture.Float.BundleDirectory, g.File)).Length, g.FileBytes));
    }

    [Fact]
    public void Manifest_DescribesInputsOutputsAndKvLayout()
    {
        var m = Manifest;
        var verify = m.Graphs.Single(g => g.Kind == GraphKind.Verify && g.Variant == GraphVariant.Greedy && g.Gear == 64);

        Assert.Equal(["tokens", "pos", "kv"], verify.Inputs.Select(i => i.Name));
        Assert.Equal([5L], verify.Input("tokens").Shape);
        Assert.Equal("int64", verify.Input("pos").DType);
        Assert.Equal([64L, 2, 2, 2, 8], verify.Input("kv").Shape);
        Assert.Equal(["kv_new", "next_ids", "accepted"], verify.Outputs.Select(o => o.Name));
        Assert.Equal([5L, 2, 2, 2, 8], verify.Output("kv_new").Shape);
        Assert.Equal([1L], verify.Output("accepted").Shape);
        var logits = m.Graphs.Single(g => g.Kind == GraphKind.Prefill && g.Variant == GraphVariant.Logits && g.Gear == 16);
        Assert.Equal([8L, m.Model.VocabSize], logits.Output("logits").Shape);

        Assert.Equal([64L, 2, 2, 2, 8], m.KvLayout.Shape);
        Assert.Equal(2 * 2 * 2 * 8 * sizeof(float), m.KvLayout.BytesPerPosition);
        Assert.Equal(["position", "layer", "kv", "kv_head", "head_dim"], m.KvLayout.Axes);
        Assert.Equal((64, 8, 4), (m.MaxContext, m.PrefillChunk, m.VerifyK));
        Assert.Equal([16, 64], m.Gears);
    }

    [Fact]
    public void Manifest_CarriesTokenizerTemplatesAndCategoryTokens()
    {
        var m = Manifest;
        var tokenizer = BundleTokenizer.Load(fixture.Float.BundleDirectory);

        Assert.Equal("byte_level_bpe", m.Tokenizer.Kind);
        Assert.Equal(["vocab.json", "merges.txt", "tokenizer_config.json"], m.Tokenizer.Files);
        Assert.Equal((0, 1, 2), (m.Tokenizer.BosId, m.Tokenizer.EosId, m.Tokenizer.PadId));
        Assert.Equal("<|bos|>{request}<|probe|>", m.Templates.Probe);
        Assert.Equal("<|bos|>{request}<|answer|>", m.Templates.Generation);
        Assert.Equal(tokenizer.TokenToId("<|code|>"), m.CategoryTokens["code"]);
        Assert.Equal(tokenizer.TokenToId("<|qa|>"), m.CategoryTokens["qa"]);
        Assert.Equal(tokenizer.TokenToId("<|math|>"), m.CategoryTokens["math"]);
        Assert.Equal(m.Model.VocabSize, tokenizer.VocabSize);
    }

    [Fact]
    public void AtcScript_HasOneStaticShapeLinePerGraph()
    {
        var lines = File.ReadAllLines(Path.Combine(fixture.Float.BundleDirectory, AtcScript.FileName));
        var atc = lines.Where(l => l.StartsWith("atc ", StringComparison.Ordinal)).ToList();

        Assert.Equal(Manifest.Graphs.Count, atc.Count);
        Assert.All(atc, l => Assert.Contains("--framework=5 --soc_version=${SOC:-Ascend910B3}", l));
        Assert.All(atc, l => Assert.Contains("--input_format=ND", l));
        Assert.All(atc, l => Assert.Contains("--precision_mode=must_keep_origin_dtype", l));
        Assert.Contains(atc, l => l.Contains("--model=verify_greedy_g16.onnx") && l.Contains("--input_shape=\"tokens:5;pos:1;kv:16,2,2,2,8\""));
    }

    [Fact]
    public void WeightFile_HoldsEachTensorOnce_AtAlignedOffsets_AsInTheCheckpoint()
    {
        var m = Manifest;
        var external = OnnxInspector.ExternalTensors(Path.Combine(fixture.Float.BundleDirectory, m.Graphs[0].File));
        var weightPath = Path.Combine(fixture.Float.BundleDirectory, m.Weights.File);

        Assert.All(external, t => Assert.Equal(m.Weights.File, t.Location));
        Assert.All(external, t => Assert.Equal(0, t.Offset % m.Weights.Alignment));
        var embedding = external.Single(t => t.Name == LlamaTensorNames.Embedding);
        var stored = new float[embedding.Length / sizeof(float)];
        using (var file = File.OpenRead(weightPath))
        {
            file.Seek(embedding.Offset, SeekOrigin.Begin);
            file.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(stored.AsSpan()));
        }
        Assert.Equal(fixture.Checkpoint.Weights[LlamaTensorNames.Embedding], stored);
        var allGraphs = m.Graphs.SelectMany(g => OnnxInspector.ExternalTensors(Path.Combine(fixture.Float.BundleDirectory, g.File)));
        Assert.All(allGraphs.GroupBy(t => t.Name), group => Assert.Single(group.Select(t => t.Offset).Distinct()));
        Assert.True(m.Weights.Bytes > 0 && m.Weights.Bytes <= new FileInfo(weightPath).Length);
    }

    [Fact]
    public void Graphs_UseOnlyStandardOperatorsAtTheRequestedOpset()
    {
        foreach (var graph in Manifest.Graphs)
        {
            var model = OnnxInspector.Load(Path.Combine(fixture.Float.BundleDirectory, graph.File));
            var opset = Assert.Single(model.OpsetImport);
            Assert.Equal(("", 14L), (opset.Domain, opset.Version));
            Assert.All(model.Graph.Node, n => Assert.Equal("", n.Domain));
            Assert.All(model.Graph.Node, n => Assert.Contains(n.OpType, OnnxInspector.StandardOperators));
        }
    }

    [Fact]
    public void W8A16_StoresInt8WeightsWithScales_AndDequantizesInTheGraph()
    {
        var m = BundleManifest.Load(fixture.W8A16.BundleDirectory);
        var decode = m.Graphs.Single(g => g.Kind == GraphKind.Decode && g.Variant == GraphVariant.Greedy && g.Gear == 16);
        var model = OnnxInspector.Load(Path.Combine(fixture.W8A16.BundleDirectory, decode.File));

        Assert.Equal("w8a16", m.Weights.Quantization);
        Assert.True(m.Weights.Bytes < Manifest.Weights.Bytes / 2, $"{m.Weights.Bytes} vs {Manifest.Weights.Bytes}");
        var q = model.Graph.Initializer.Single(t => t.Name == LlamaTensorNames.Q(0));
        Assert.Equal((int)AscendAio.Export.Onnx.ElementType.Int8, q.DataType);
        Assert.Contains(model.Graph.Initializer, t => t.Name == LlamaTensorNames.Q(0) + "_scale");
        Assert.Equal(7 * 2 + 1, model.Graph.Node.Count(n => n.OpType == "DequantizeLinear"));   // 7 Linear per layer + LM head
        var embedding = model.Graph.Initializer.Single(t => t.Name == LlamaTensorNames.Embedding);
        Assert.Equal((int)AscendAio.Export.Onnx.ElementType.Float32, embedding.DataType);
    }
}
