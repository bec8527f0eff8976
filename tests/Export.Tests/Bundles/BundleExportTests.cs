using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Tests.Parity;

namespace AscendAio.Export.Tests.Bundles;

/// <summary>What an export writes besides the numbers: bundle.json, the one graph, the tokenizer, atc.sh, the weight file.</summary>
public sealed class BundleExportTests(TinyBundleFixture fixture) : IClassFixture<TinyBundleFixture>
{
    private BundleManifest Manifest => BundleManifest.Load(fixture.Float.BundleDirectory);

    [Fact]
    public void Export_WritesOneGraph_WithEveryCallSizeAtEveryWindowAsAProfile()
    {
        var graph = Manifest.Graph;

        Assert.Equal(("model.onnx", "model.om"), (graph.OnnxFile, graph.OmFile));
        Assert.Equal(new FileInfo(Path.Combine(fixture.Float.BundleDirectory, graph.OnnxFile)).Length, graph.FileBytes);
        Assert.Single(Directory.GetFiles(fixture.Float.BundleDirectory, "*.onnx"));
        // (prefill 8, decode 1, verify 5) x windows 16, 64, batch 1
        var expected = TinyBundleFixture.Gears.SelectMany(g => new[] { 8, 1, 5 }.Select(t => new GraphProfile(1, t, g)));
        Assert.Equal(expected.OrderBy(p => (p.Window, p.Tokens)), graph.Profiles.OrderBy(p => (p.Window, p.Tokens)));
    }

    [Fact]
    public void Manifest_DescribesInputsOutputsAndKvLayout()
    {
        var m = Manifest;
        var graph = m.Graph;

        Assert.Equal(["tokens", "pos", "past_k", "past_v"], graph.Inputs.Select(i => i.Name));
        Assert.Equal(["batch", "tokens"], graph.Input("tokens").Dims);
        Assert.Equal("int64", graph.Input("pos").DType);
        Assert.Equal(["2", "batch", "2", "window", "8"], graph.Input("past_k").Dims);
        Assert.Equal(["kv_new", "logits", "next_ids", "accepted"], graph.Outputs.Select(o => o.Name));
        Assert.Equal([2L, 2, 1, 2, 5, 8], graph.Output("kv_new").Resolve(new GraphProfile(1, 5, 64)));
        Assert.Equal([1L, 8, m.Model.VocabSize], graph.Output("logits").Resolve(new GraphProfile(1, 8, 16)));
        Assert.Equal([1L, 1], graph.Output("accepted").Resolve(new GraphProfile(1, 5, 16)));

        Assert.Equal(["kv", "layer", "kv_head", "capacity", "head_dim"], m.KvLayout.Axes);
        Assert.Equal(2 * 2 * 2 * 8 * sizeof(float), m.KvLayout.BytesPerPosition);
        Assert.Equal(2 * 2 * 16 * 8 * sizeof(float), m.KvLayout.BlockBytes(16));
        Assert.Equal((64, 8, 4), (m.MaxContext, m.PrefillChunk, m.VerifyK));
        Assert.Equal([16, 64], m.Gears);
        Assert.Equal((2, "float32"), (m.FormatVersion, m.DType));
    }

    [Fact]
    public void Graph_ReadsThePastOnlyThroughOneOutermostSliceAndMatMuls_NeverRebuildingTheWindow()
    {
        var model = OnnxInspector.Load(Path.Combine(fixture.Float.BundleDirectory, Manifest.Graph.OnnxFile));
        var nodes = model.Graph.Node;
        var consumers = nodes.Where(n => n.Input.Contains("past_k") || n.Input.Contains("past_v")).ToList();
        // One Gather per layer and kind on axis 0 (plus one Shape for the window size); nothing else touches the inputs.
        Assert.Equal(2 * 2 + 1, consumers.Count);
        Assert.Equal(4, consumers.Count(n => n.OpType == "Gather" && n.Attribute.Single(a => a.Name == "axis").I == 0));
        var slices = consumers.Where(n => n.OpType == "Gather").SelectMany(n => n.Output).ToHashSet();
        // Each layer's window feeds MatMul (scores, context) and Shape only: no Where, one-hot MatMul, Concat or Transpose of it.
        Assert.All(nodes.Where(n => n.Input.Any(slices.Contains)), n => Assert.Contains(n.OpType, new[] { "MatMul", "Shape" }));
        Assert.Equal(2, nodes.Count(n => n.OpType == "Where"));   // the two additive masks, built once per graph
        Assert.Equal("tokens:1,-1;pos:1;past_k:2,1,2,-1,8;past_v:2,1,2,-1,8",
            model.MetadataProps.Single(p => p.Key == "ascend.atc.input_shape").Value);
    }

    [Fact]
    public void LoadingAnOldBundle_IsRefusedWithTheReexportMessage()
    {
        var directory = Path.Combine(Path.GetTempPath(), "aio-old-bundle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, BundleManifest.FileName), "{ \"format_version\": 1, \"model_name\": \"old\" }");
            var error = Assert.Throws<InvalidDataException>(() => BundleManifest.Load(directory));
            Assert.Contains("re-export with aio export", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
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
    public void AtcScript_CompilesTheOneGraphWithEveryProfileAsADynamicDimsGear()
    {
        var script = File.ReadAllText(Path.Combine(fixture.Float.BundleDirectory, AtcScript.FileName));
        var atc = script.Split('\n').SkipWhile(l => !l.StartsWith("atc ", StringComparison.Ordinal)).Take(4).ToList();

        Assert.Single(script.Split('\n'), l => l.StartsWith("atc ", StringComparison.Ordinal));
        Assert.Contains("--framework=5 --soc_version=\"$SOC\" --model=model.onnx --output=model --input_format=ND", atc[0]);
        Assert.Contains("--input_shape=\"tokens:1,-1;pos:1;past_k:2,1,2,-1,8;past_v:2,1,2,-1,8\"", atc[1]);
        // one value per -1: tokens, then the window of past_k and of past_v; one gear per profile
        Assert.Contains("--dynamic_dims=\"8,16,16;1,16,16;5,16,16;8,64,64;1,64,64;5,64,64\"", atc[2]);
        Assert.Contains("--precision_mode=must_keep_origin_dtype", atc[3]);
        Assert.Contains("npu-smi info", script);          // the SoC from the server unless $SOC names it
        Assert.Contains("is up to date", script);         // re-running keeps a current .om
    }

    [Fact]
    public void WeightFile_HoldsEachTensorOnce_AtAlignedOffsets_AsInTheCheckpoint()
    {
        var m = Manifest;
        var external = OnnxInspector.ExternalTensors(Path.Combine(fixture.Float.BundleDirectory, m.Graph.OnnxFile));
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
        Assert.All(external.GroupBy(t => t.Name), group => Assert.Single(group));
        Assert.True(m.Weights.Bytes > 0 && m.Weights.Bytes <= new FileInfo(weightPath).Length);
    }

    [Fact]
    public void Graph_UsesOnlyStandardOperatorsAtTheRequestedOpset()
    {
        var model = OnnxInspector.Load(Path.Combine(fixture.Float.BundleDirectory, Manifest.Graph.OnnxFile));
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 14L), (opset.Domain, opset.Version));
        Assert.All(model.Graph.Node, n => Assert.Equal("", n.Domain));
        Assert.All(model.Graph.Node, n => Assert.Contains(n.OpType, OnnxInspector.StandardOperators));
    }

    [Fact]
    public void W8A16_StoresInt8WeightsWithScales_AndDequantizesInTheGraph()
    {
        var m = BundleManifest.Load(fixture.W8A16.BundleDirectory);
        var model = OnnxInspector.Load(Path.Combine(fixture.W8A16.BundleDirectory, m.Graph.OnnxFile));

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
