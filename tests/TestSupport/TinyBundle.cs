using AscendAio.Export;

namespace AscendAio.TestSupport;

/// <summary>
/// A one-layer random-weight model (hidden 32, context 256) exported as bundle "tiny" (prefill chunk 32, gears 64 and
/// 256): enough for tests that run a suite through the engine and check what is scored, not what is written.
/// </summary>
public static class TinyBundle
{
    /// <summary>Writes the checkpoint to ROOT/ckpt and the bundle to ROOT/bundle; returns the bundle directory.</summary>
    public static string Export(string root)
    {
        var checkpoint = TinyCheckpoint.Write(Path.Combine(root, "ckpt"), new TinyCheckpointOptions { Hidden = 32, Layers = 1, Heads = 2, KvHeads = 1, MaxPositions = 256, Seed = 5 });
        var dir = Path.Combine(root, "bundle");
        BundleExporter.Export(new ExportOptions { CheckpointDirectory = checkpoint.Directory, OutputDirectory = dir, ModelName = "tiny", PrefillChunk = 32, Gears = [64, 256] });
        return dir;
    }
}
