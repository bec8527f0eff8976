using AscendAio.Export;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>
/// A random-weight stand-in for the reference pair (development before the trained pair exists): a small drafter
/// and a mid-size target sharing one tokenizer, each as fp32 and W8A16 bundles, exported once into a cache.
/// </summary>
public static class RandomPair
{
    public static readonly RandomCheckpointOptions Small = new() { Hidden = 256, Intermediate = 688, Layers = 4, Heads = 4, KvHeads = 2, VocabSize = 1024, MaxPositions = 1024 };
    public static readonly RandomCheckpointOptions Large = new() { Hidden = 1024, Intermediate = 2816, Layers = 8, Heads = 16, KvHeads = 4, VocabSize = 1024, MaxPositions = 1024 };

    /// <summary>Bundle directories: small, large, small W8A16, large W8A16.</summary>
    public static (string Small, string Large, string SmallQuant, string LargeQuant) Ensure(string cacheRoot, string? tokenizerDirectory, Action<string> progress)
    {
        var root = Path.Combine(cacheRoot, "random-pair");
        var small = Ensure(root, "random-small", Small with { TokenizerDirectory = tokenizerDirectory }, progress);
        var large = Ensure(root, "random-large", Large with { TokenizerDirectory = tokenizerDirectory }, progress);
        return (small.Plain, large.Plain, small.Quant, large.Quant);
    }

    private static (string Plain, string Quant) Ensure(string root, string name, RandomCheckpointOptions shape, Action<string> progress)
    {
        var plain = Path.Combine(root, name);
        var quant = Path.Combine(root, name + "-w8a16");
        var exports = new[] { (plain, QuantizationMode.None), (quant, QuantizationMode.W8A16) }.Select(e => new ExportOptions
        {
            CheckpointDirectory = "",
            OutputDirectory = e.Item1,
            ModelName = Path.GetFileName(e.Item1),
            Quantization = e.Item2,
            PrefillChunk = 64,
            VerifyK = 4,
        }).ToArray();
        RandomBundles.Ensure(Path.Combine(root, name + "-checkpoint"), shape, exports, message => progress($"random pair: {message}"));
        return (plain, quant);
    }
}
