using AscendAio.Engine.Bundles;

namespace AscendAio.Export.Checkpoint;

/// <summary>
/// Random-weight bundles for benchmarks, the one path from a shape to bundles: a seeded checkpoint written once, each
/// bundle exported from it unless its folder already holds a current bundle (a cache keyed by the folder names the
/// callers choose), the checkpoint kept for later exports or deleted.
/// </summary>
public static class RandomBundles
{
    /// <summary>
    /// Ensures every export in <paramref name="exports"/> (their <see cref="ExportOptions.CheckpointDirectory"/> is
    /// replaced by <paramref name="checkpointDirectory"/>) holds a current bundle; writes the checkpoint of
    /// <paramref name="shape"/> first when one is needed and missing.
    /// </summary>
    public static void Ensure(string checkpointDirectory, RandomCheckpointOptions shape, IReadOnlyList<ExportOptions> exports, Action<string> progress,
        bool keepCheckpoint = false)
    {
        var missing = exports.Where(e => !BundleManifest.IsCurrent(e.OutputDirectory)).ToArray();
        foreach (var cached in exports.Except(missing))
            progress($"reusing the cached bundle {cached.OutputDirectory}");
        if (missing.Length == 0)
            return;
        if (!File.Exists(Path.Combine(checkpointDirectory, LlamaConfig.FileName)))
        {
            progress($"writing a random checkpoint ({shape.Parameters / 1e6:F1} M parameters, {shape.Parameters * 4 / 1e9:F2} GB fp32) to {checkpointDirectory}");
            RandomCheckpoint.Write(checkpointDirectory, shape);
        }
        foreach (var export in missing)
        {
            var result = BundleExporter.Export(export with { CheckpointDirectory = checkpointDirectory });
            progress($"exported {export.OutputDirectory} ({export.Quantization}) in {result.Elapsed.TotalSeconds:F0} s, weights {result.Manifest.Weights.Bytes / 1e9:F2} GB");
        }
        if (!keepCheckpoint)
            Directory.Delete(checkpointDirectory, recursive: true);
    }
}
