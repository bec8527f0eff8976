using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Two tiny random-weight models exported once for the whole test class and resident together on one device:
/// a "large" target (2 layers, hidden 64) and a "small" drafter (1 layer, hidden 32) sharing the tokenizer.
/// Context 128, prefill chunk 16, gears 32 and 128, verify K = 4. The target is also exported with batch gears 1, 2, 4
/// (<see cref="BatchedModel"/>) for continuous batching.
/// </summary>
public sealed class TinyBundles : IDisposable
{
    public const int Context = 128, Chunk = 16, VerifyK = 4;
    public static readonly int[] Gears = [32, 128];
    public static readonly int[] BatchGears = [1, 2, 4];

    public TinyBundles()
    {
        Root = TempDirectory.Create("engine");
        Target = TinyCheckpoint.Write(Path.Combine(Root, "target-ckpt"), new TinyCheckpointOptions { Hidden = 64, Intermediate = 128, Layers = 2, Heads = 4, KvHeads = 2, MaxPositions = Context, Seed = 11 });
        Drafter = TinyCheckpoint.Write(Path.Combine(Root, "drafter-ckpt"), new TinyCheckpointOptions { Hidden = 32, Intermediate = 64, Layers = 1, Heads = 2, KvHeads = 1, MaxPositions = Context, Seed = 11 });
        TargetBundle = Export(Target, "target");
        DrafterBundle = Export(Drafter, "drafter");
        BatchedBundle = Export(Target, "target-batched", BatchGears);
        Device = Device.Open();
        TargetModel = LanguageModel.Load(Device, ModelBundle.Load(TargetBundle));
        DrafterModel = LanguageModel.Load(Device, ModelBundle.Load(DrafterBundle));
        BatchedModel = LanguageModel.Load(Device, ModelBundle.Load(BatchedBundle));
    }

    public string Root { get; }
    public TinyCheckpoint Target { get; }
    public TinyCheckpoint Drafter { get; }
    public string TargetBundle { get; }
    public string DrafterBundle { get; }
    public string BatchedBundle { get; }
    public Device Device { get; }
    public LanguageModel TargetModel { get; }
    public LanguageModel DrafterModel { get; }

    /// <summary>The target's weights with decode and verify at batch gears <see cref="BatchGears"/>.</summary>
    public LanguageModel BatchedModel { get; }

    /// <summary>Ordinary (non-special) token ids.</summary>
    public int FirstPlainToken => TinyTokenizer.SpecialTokens.Length;

    public int VocabSize => TargetModel.VocabSize;

    private string Export(TinyCheckpoint checkpoint, string name, int[]? batchGears = null)
    {
        var output = Path.Combine(Root, name);
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = checkpoint.Directory,
            OutputDirectory = output,
            ModelName = name,
            PrefillChunk = Chunk,
            VerifyK = VerifyK,
            Gears = Gears,
            BatchGears = batchGears ?? [1],
        });
        return output;
    }

    public void Dispose()
    {
        TargetModel.Dispose();
        DrafterModel.Dispose();
        BatchedModel.Dispose();
        Device.Dispose();
        TempDirectory.Delete(Root);
    }
}

/// <summary>
/// All engine tests share one pair of tiny bundles and run one at a time: device memory figures are
/// device-wide, so a test measuring them must not overlap another's allocations.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TinyBundlesCollection : ICollectionFixture<TinyBundles>
{
    public const string Name = "tiny bundles";
}
