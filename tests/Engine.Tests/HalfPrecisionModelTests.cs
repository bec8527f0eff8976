using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.Export.Onnx;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests;

/// <summary>
/// The engine on float16 and bfloat16 bundles of the tiny target: KV caches in 2-byte elements, grown across a gear,
/// and greedy generation that follows the float64 reference model wherever its choice is not a near-tie.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class HalfPrecisionModelTests(TinyBundles bundles) : IDisposable
{
    private readonly string _root = TempDirectory.Create("engine-half");

    [Theory]
    [InlineData("float16", 1e-2)]
    [InlineData("bfloat16", 1e-1)]
    public void GreedyGeneration_AcrossAGear_FollowsTheReference(string dtype, double nearTie)
    {
        var directory = Export(dtype == "float16" ? ElementType.Float16 : ElementType.BFloat16);
        using var model = LanguageModel.Load(bundles.Device, ModelBundle.Load(directory));
        Assert.Equal(bundles.TargetModel.MemoryReport().KvBytesPerPosition, 2 * model.MemoryReport().KvBytesPerPosition);

        var prompt = Prompts.Random(3, 24, bundles.FirstPlainToken, bundles.VocabSize);   // gear 32, then 128 while decoding
        var result = Generator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 20 });
        Assert.True(prompt.Length + result.Tokens.Length > TinyBundles.Gears[0], $"only {result.Tokens.Length} tokens: the cache never grew past gear {TinyBundles.Gears[0]}");

        // Each token is the reference's argmax, or the reference's top two were within the dtype's rounding.
        var reference = bundles.Target.Reference().Run(prompt.Concat(result.Tokens).ToList());
        for (var i = 0; i < result.Tokens.Length; i++)
        {
            var logits = reference.Logits[prompt.Length - 1 + i];
            var best = reference.ArgMax(prompt.Length - 1 + i);
            var margin = logits[best] - logits[result.Tokens[i]];
            Assert.True(margin <= nearTie * Math.Max(1, Math.Abs(logits[best])),
                $"{dtype}: generated token {i} is {result.Tokens[i]}, the reference's argmax is {best} by a margin of {margin:E3}");
        }
    }

    private string Export(ElementType dtype)
    {
        var output = Path.Combine(_root, dtype.ManifestName());
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = bundles.Target.Directory,
            OutputDirectory = output,
            ModelName = "target-" + dtype.ManifestName(),
            DType = dtype,
            PrefillChunk = TinyBundles.Chunk,
            VerifyK = TinyBundles.VerifyK,
            Gears = TinyBundles.Gears,
        });
        return output;
    }

    public void Dispose() => TempDirectory.Delete(_root);
}
