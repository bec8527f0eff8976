using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.TestSupport;

namespace AscendAio.Router.Tests;

/// <summary>
/// A tiny random-weight model pair resident on one device, shaped like the reference pair: a small probe
/// model with a short context (64) and a large one with a longer context (128), sharing the tokenizer and
/// its special tokens (probe template, category tokens). Prefill chunk 16, verify K 4.
/// </summary>
public sealed class TinyPair : IDisposable
{
    public const int SmallContext = 64, LargeContext = 128, Chunk = 16, VerifyK = 4;

    public TinyPair()
    {
        Root = TempDirectory.Create("router");
        var small = TinyCheckpoint.Write(Path.Combine(Root, "small-ckpt"), new TinyCheckpointOptions { Hidden = 32, Intermediate = 64, Layers = 1, Heads = 2, KvHeads = 1, MaxPositions = SmallContext, Seed = 21 });
        var large = TinyCheckpoint.Write(Path.Combine(Root, "large-ckpt"), new TinyCheckpointOptions { Hidden = 64, Intermediate = 128, Layers = 2, Heads = 4, KvHeads = 2, MaxPositions = LargeContext, Seed = 22 });
        SmallBundle = Export(small.Directory, "tiny-small", [32, SmallContext]);
        LargeBundle = Export(large.Directory, "tiny-large", [32, LargeContext]);
        Device = Device.Open();
        Small = LanguageModel.Load(Device, ModelBundle.Load(SmallBundle));
        Large = LanguageModel.Load(Device, ModelBundle.Load(LargeBundle));
    }

    public string Root { get; }
    public string SmallBundle { get; }
    public string LargeBundle { get; }
    public Device Device { get; }
    public LanguageModel Small { get; }
    public LanguageModel Large { get; }

    public RouterModels Models => new() { Small = Small, Large = Large };

    private string Export(string checkpoint, string name, int[] gears)
    {
        var output = Path.Combine(Root, name);
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = checkpoint,
            OutputDirectory = output,
            ModelName = name,
            PrefillChunk = Chunk,
            VerifyK = VerifyK,
            Gears = gears,
        });
        return output;
    }

    public void Dispose()
    {
        Small.Dispose();
        Large.Dispose();
        Device.Dispose();
        TempDirectory.Delete(Root);
    }
}

/// <summary>Router tests that touch the device share one pair and run one at a time (KV pool counts are per model).</summary>
[CollectionDefinition(Name)]
public sealed class TinyPairCollection : ICollectionFixture<TinyPair>
{
    public const string Name = "tiny pair";
}
