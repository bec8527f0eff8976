using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests;

/// <summary>The CPU device holds the graph contract to CANN's rules: gears chosen per call, weights charged once per loaded model.</summary>
[Collection(TinyBundlesCollection.Name)]
public sealed unsafe class DeviceContractTests(TinyBundles bundles)
{
    [Fact]
    public void LoadingAModel_ChargesItsWeightsOnce_AndUnloadingGivesEveryByteBack()
    {
        var bundle = ModelBundle.Load(bundles.TargetBundle);
        var weightFile = new FileInfo(Path.Combine(bundle.Directory, bundle.Manifest.Weights.File)).Length;
        var baseline = bundles.Device.GetMemoryInfo().Free;

        using (var model = LanguageModel.Load(bundles.Device, bundle))
        {
            // Weight file + graph file + the graph's own small input/output buffers: never a second copy of the weights.
            Assert.InRange(model.GraphDeviceBytes, weightFile, weightFile + weightFile / 2);
            using var sequence = model.CreateSequence();
            sequence.Prefill([bundles.FirstPlainToken, bundles.FirstPlainToken + 1]);
        }

        Assert.Equal(baseline, bundles.Device.GetMemoryInfo().Free);
    }

    [Fact]
    public void TheGraph_ReportsItsProfilesAsGears_AndRefusesToRunWithoutOne()
    {
        var bundle = ModelBundle.Load(bundles.TargetBundle);
        using var graph = Graph.Load(bundles.Device, Path.Combine(bundle.Directory, bundle.Manifest.Graph.OnnxFile));

        var gears = graph.DynamicGears();
        Assert.Equal(bundle.Manifest.Graph.Profiles.Count, gears.Count);
        Assert.Equal(AclMdl.ACL_DYNAMIC_TENSOR_NAME, graph.Inputs[graph.DynamicDimsInputIndex].Name);
        Assert.All(graph.Outputs, o => Assert.Matches(@"^[^:]+:\d+:[a-z_]+$", o.Name));   // CANN's op:index:name

        var kv = bundle.Manifest.KvLayout;
        using var cache = bundles.Device.Allocate(kv.BytesFor(32));
        for (var i = 0; i < graph.Inputs.Count; i++)
            graph.InputBuffer(i);
        graph.BindInput(graph.InputIndex(GraphNames.PastKeys), cache, 0, kv.BlockBytes(32));
        graph.BindInput(graph.InputIndex(GraphNames.PastValues), cache, kv.BlockBytes(32), kv.BlockBytes(32));

        var unset = Assert.Throws<AclException>(graph.Execute);
        Assert.Contains("aclmdlSetInputDynamicDims", unset.Message);

        var notAGear = Graph.DimsOf(gears[0].Select(d => d + 1).ToArray());   // every dim off by one: no compiled gear
        var refused = Assert.Throws<AclException>(() => graph.SetDynamicDims(notAGear));
        Assert.Contains("not one of its", refused.Message);
    }

    [Theory]
    [InlineData("kv_layout", "float16")]   // a KV dtype the graph does not take
    [InlineData("past_k", "float16")]      // bundle.json's input type differs from the graph's
    [InlineData("window_dim", "64")]       // a shape the graph does not have
    public void ABundleWhoseGraphDiffersFromItsManifest_IsRefusedAtLoad_AndLeaksNothing(string edit, string value)
    {
        var directory = TempDirectory.Create("contract-mismatch");
        try
        {
            foreach (var file in Directory.GetFiles(bundles.TargetBundle))
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
            var manifestPath = Path.Combine(directory, BundleManifest.FileName);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
            var pastK = json["graph"]!["inputs"]!.AsArray().Single(i => (string)i!["name"]! == GraphNames.PastKeys)!;
            switch (edit)
            {
                case "kv_layout":
                    json["kv_layout"]!["dtype"] = value;
                    json["kv_layout"]!["element_bytes"] = 2;
                    break;
                case "past_k":
                    pastK["dtype"] = value;
                    break;
                default:
                    pastK["dims"]![3] = value;
                    break;
            }
            File.WriteAllText(manifestPath, json.ToJsonString());
            var baseline = bundles.Device.GetMemoryInfo().Free;

            var refused = Assert.Throws<InvalidDataException>(() => LanguageModel.Load(bundles.Device, ModelBundle.Load(directory)));

            Assert.Contains("does not match bundle.json", refused.Message);
            Assert.Contains("re-export with aio export", refused.Message);
            Assert.Equal(baseline, bundles.Device.GetMemoryInfo().Free);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }
}
