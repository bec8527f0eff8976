using AscendAio.Engine.Bundles;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Tests.Parity;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Bundles;

public sealed class ExportOptionsTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("export-options");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Theory]
    [InlineData(512, 64, new[] { 128, 256, 512 })]
    [InlineData(2048, 64, new[] { 128, 256, 512, 1024, 2048 })]
    [InlineData(64, 8, new[] { 64 })]
    [InlineData(32768, 256, new[] { 256, 512, 1024, 2048, 4096, 8192, 16384, 32768 })]
    public void DefaultGears_AreMaxContextAndHalvingStepsDownTo128(int maxContext, int chunk, int[] expected)
    {
        Assert.Equal(expected, KvGears.Default(maxContext, chunk));
    }

    [Theory]
    [InlineData(32, 32)]          // never more than the context
    [InlineData(512, 64)]         // short contexts keep 64
    [InlineData(2048, 128)]
    [InlineData(4096, 256)]
    [InlineData(8192, 512)]
    [InlineData(32768, 512)]      // 64 calls for a full 32K prompt, not 512
    [InlineData(131072, 512)]
    public void DefaultPrefillChunk_FollowsTheMaxContext(int maxContext, int expected)
    {
        Assert.Equal(expected, KvGears.DefaultPrefillChunk(maxContext));
    }

    [Fact]
    public void Export_WithoutAChunk_UsesTheDefaultForItsContext()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck-default-chunk"));

        var result = BundleExporter.Export(Options(tiny) with { PrefillChunk = null, Gears = null });

        Assert.Equal(KvGears.DefaultPrefillChunk(result.Manifest.MaxContext), result.Manifest.PrefillChunk);
        Assert.Contains(result.Manifest.Graph.Profiles, p => p.Tokens == result.Manifest.PrefillChunk);
    }

    [Fact]
    public void Export_FailingAfterTheWeights_LeavesNoPartialBundle_AndAnEarlierBundleIntact()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck-partial"));
        var options = Options(tiny) with { OutputDirectory = Path.Combine(_dir, "partial-out") };
        var first = BundleExporter.Export(options);
        var manifestBefore = File.ReadAllText(Path.Combine(first.BundleDirectory, "bundle.json"));

        // An opset atc does not take fails in the graph builder, after weights.bin is written.
        Assert.Throws<ArgumentOutOfRangeException>(() => BundleExporter.Export(options with { Opset = 99 }));

        Assert.Equal(manifestBefore, File.ReadAllText(Path.Combine(first.BundleDirectory, "bundle.json")));
        Assert.False(Directory.Exists(options.OutputDirectory + ".partial"));
        Assert.Equal(first.WeightFileBytes, new FileInfo(Path.Combine(first.BundleDirectory, "weights.bin")).Length);
    }

    [Fact]
    public void Export_IntoAFolderThatIsNotABundle_IsRefused_AndTouchesNothing()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck-notabundle"));
        var folder = Path.Combine(_dir, "user-folder");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "keep me");

        var refused = Assert.Throws<ArgumentException>(() => BundleExporter.Export(Options(tiny) with { OutputDirectory = folder }));

        Assert.Contains("is not a bundle", refused.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        Assert.Single(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void Export_LargestGearBelowMaxContext_IsRejected()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck"));

        var e = Assert.Throws<ArgumentException>(() => BundleExporter.Export(Options(tiny) with { Gears = [16, 32] }));

        Assert.Contains("largest gear", e.Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    public void Export_OpsetOutsideAtcRange_IsRejected(int opset)
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck"));

        Assert.Throws<ArgumentOutOfRangeException>(() => BundleExporter.Export(Options(tiny) with { Opset = opset }));
    }

    [Fact]
    public void Export_ConfigVocabSmallerThanTokenizer_NamesVocabSize()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck"));
        var vocabPath = Path.Combine(tiny.Directory, "vocab.json");
        var vocab = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(vocabPath))!.AsObject();
        vocab["zzzzzz"] = 5000;   // an id far beyond the config's vocab_size
        File.WriteAllText(vocabPath, vocab.ToJsonString());

        var e = Assert.Throws<CheckpointException>(() => BundleExporter.Export(Options(tiny)));

        Assert.Equal("vocab_size", e.Subject);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(15)]
    public void Export_AtOpset13And15_RunsOnTheDevice(int opset)
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck"));
        var result = BundleExporter.Export(Options(tiny) with { Opset = opset });
        var tokens = new[] { 5, 17, 42, 99, 7 };
        var reference = tiny.Reference().Run(tokens);

        using var runner = BundleRunners.Open(result.BundleDirectory);
        var outputs = runner.Run(tokens.Select(t => (long)t).ToArray(), 0, window: 16);   // the verify profile (5 tokens)

        Assert.Equal(Enumerable.Range(0, 5).Select(p => (long)reference.ArgMax(p)), outputs.NextIds);
        Assert.Equal(opset, result.Manifest.OnnxOpset);
    }

    [Fact]
    public void Export_TiedCheckpoint_UsesTheEmbeddingAsHead_AndMatchesReference()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_dir, "ck"), new TinyCheckpointOptions { TieWordEmbeddings = true, KvHeads = 1 });
        var result = BundleExporter.Export(Options(tiny));
        var tokens = Enumerable.Range(0, 12).Select(i => (i * 37) % tiny.Config.VocabSize).ToList();
        var reference = tiny.Reference().Run(tokens);

        using var runner = BundleRunners.Open(result.BundleDirectory);
        var outputs = runner.Run(tokens.Take(8).Select(t => (long)t).ToArray(), 0, window: 16);

        Assert.True(result.Manifest.Model.TieWordEmbeddings);
        Assert.Equal(Enumerable.Range(0, 8).Select(p => (long)reference.ArgMax(p)), outputs.NextIds);
        Assert.DoesNotContain(OnnxInspector.ExternalTensors(Path.Combine(result.BundleDirectory, result.Manifest.Graph.OnnxFile)), t => t.Name == LlamaTensorNames.LmHead);
    }

    private ExportOptions Options(TinyCheckpoint tiny) => new()
    {
        CheckpointDirectory = tiny.Directory,
        OutputDirectory = Path.Combine(_dir, "bundle"),
        PrefillChunk = 8,
        VerifyK = 4,
        Gears = [16, 64],
    };
}
