using AscendAio.Engine.Bundles;
using AscendAio.Export;
using AscendAio.Export.Checkpoint;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>
/// The memory-bound benchmark model: a random-weight Llama-shaped fp32 bundle (≥ 1 GB of weights by default),
/// exported once and cached (checkpoint and bundle), one graph with several window gears (a decode step reads the whole KV window of the gear it runs at).
/// </summary>
public sealed record RooflineModel
{
    public RandomCheckpointOptions Shape { get; init; } = new() { Hidden = 2048, Intermediate = 5632, Layers = 6, Heads = 16, KvHeads = 4, VocabSize = 4096, MaxPositions = 2048 };

    /// <summary>Window gears exported (one graph holds them all); the benchmark pins one per run.</summary>
    public int[] Gears { get; init; } = [256, 512, 1024, 2048];

    public int PrefillChunk { get; init; } = 32;

    /// <summary>Batch gears for decode and verify (the batching benchmark exports 1, 2, 4, 8).</summary>
    public int[] BatchGears { get; init; } = [1];

    /// <summary>A directory name that changes with every setting that changes the export.</summary>
    public string CacheName =>
        $"roofline-h{Shape.Hidden}-f{Shape.Intermediate}-l{Shape.Layers}-a{Shape.Heads}x{Shape.KvHeads}-v{Shape.VocabSize}-g{string.Join("_", Gears)}-s{Shape.Seed}" + (BatchGears is [1] ? "" : $"-b{string.Join("_", BatchGears)}");

    /// <summary>Returns the bundle directory under <paramref name="cacheRoot"/>, exporting it first when it is missing.</summary>
    public string EnsureBundle(string cacheRoot, Action<string> progress)
    {
        var root = Path.Combine(cacheRoot, CacheName);
        var bundle = Path.Combine(root, "bundle");
        // The checkpoint stays in the cache too: other exports of the same weights (more gears, logits graphs) reuse it.
        RandomBundles.Ensure(Path.Combine(root, "checkpoint"), Shape with { MaxPositions = Math.Max(Shape.MaxPositions, Gears.Max()) },
        [
            new ExportOptions
            {
                CheckpointDirectory = "",
                OutputDirectory = bundle,
                ModelName = CacheName,
                MaxContext = Gears.Max(),
                PrefillChunk = PrefillChunk,
                Gears = Gears,
                BatchGears = BatchGears,
            },
        ], message => progress($"roofline: {message}"), keepCheckpoint: true);
        return bundle;
    }
}
