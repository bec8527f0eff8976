using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.TestSupport;
using Xunit.Abstractions;

namespace AscendAio.Export.Tests.Parity;

/// <summary>The tiny checkpoint exported with batch gears 1 and 3 for decode and verify.</summary>
public sealed class BatchedBundleFixture : IDisposable
{
    public const int Batch = 3;

    public BatchedBundleFixture()
    {
        Root = TempDirectory.Create("batched-bundle");
        Checkpoint = TinyCheckpoint.Write(Path.Combine(Root, "checkpoint"));
        Reference = Checkpoint.Reference();
        Bundle = BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = Checkpoint.Directory,
            OutputDirectory = Path.Combine(Root, "bundle"),
            ModelName = "tiny-batched",
            PrefillChunk = TinyBundleFixture.Chunk,
            VerifyK = TinyBundleFixture.VerifyK,
            Gears = TinyBundleFixture.Gears,
            BatchGears = [1, Batch],
        });
    }

    public string Root { get; }
    public TinyCheckpoint Checkpoint { get; }
    public ReferenceForward Reference { get; }
    public ExportResult Bundle { get; }

    public void Dispose() => TempDirectory.Delete(Root);
}

/// <summary>
/// A decode call over three rows, each at its own position with its own cache slot of the batch's KV block: every
/// row's outputs equal that sequence run alone at batch 1, and the float64 reference.
/// </summary>
public sealed unsafe class BatchedDecodeTests(BatchedBundleFixture fixture, ITestOutputHelper output) : IClassFixture<BatchedBundleFixture>
{
    [Fact]
    public void Export_CompilesDecodeAndVerifyAtEveryBatchGear_AndBatchIsAGearDim()
    {
        var m = fixture.Bundle.Manifest;
        foreach (var window in TinyBundleFixture.Gears)
        {
            Assert.True(m.HasProfile(new GraphProfile(BatchedBundleFixture.Batch, 1, window)));
            Assert.True(m.HasProfile(new GraphProfile(BatchedBundleFixture.Batch, TinyBundleFixture.VerifyK + 1, window)));
            Assert.False(m.HasProfile(new GraphProfile(BatchedBundleFixture.Batch, TinyBundleFixture.Chunk, window)));   // prefill stays batch 1
        }
        var atc = File.ReadAllText(Path.Combine(fixture.Bundle.BundleDirectory, AtcScript.FileName));
        Assert.Contains("tokens:-1,-1;pos:-1;past_k:", atc);
    }

    [Theory]
    [InlineData(16, new[] { 5, 11, 14 })]
    [InlineData(64, new[] { 3, 20, 41 })]   // rows on both sides of the smaller gear, read at the batch's window
    public void RowsAtDifferentPositions_EqualEachRowRunAlone(int window, int[] lengths)
    {
        var rows = lengths.Length;
        var sequences = lengths.Select((n, r) => RandomTokens(n, seed: 40 + r)).ToList();
        var alone = new GraphOutputs[rows];
        var caches = new float[rows][];
        var runners = new List<IBundleRunner>();
        try
        {
            for (var r = 0; r < rows; r++)
            {
                var runner = new AclBundleRunner(fixture.Bundle.BundleDirectory);
                runners.Add(runner);
                var driver = new ParityDriver(runner, fixture.Reference.Run(sequences[r]));
                driver.Prefill(sequences[r], lengths[r] - 1);
                caches[r] = runner.KvWindow(window);
                alone[r] = runner.Run([sequences[r][^1]], lengths[r] - 1, window);
            }

            var batched = RunBatch(window, sequences.Select(s => (long)s[^1]).ToArray(), lengths.Select(n => (long)(n - 1)).ToArray(), caches);

            var kv = fixture.Bundle.Manifest.KvLayout;
            var vocab = fixture.Bundle.Manifest.Model.VocabSize;
            var rowKv = kv.Layers * 2 * kv.KvHeads * kv.HeadDim;
            for (var r = 0; r < rows; r++)
            {
                Assert.Equal(alone[r].NextIds[0], batched.NextIds[r]);
                var logits = batched.Logits.AsSpan(r * vocab, vocab);
                var againstAlone = Parity.RelativeError(logits, alone[r].Logits.Select(v => (double)v).ToArray());
                var reference = fixture.Reference.Run(sequences[r]);
                var againstReference = Parity.RelativeError(logits, reference.Logits[lengths[r] - 1]);
                var kvError = Parity.RelativeError(BatchRowKv(batched.KvNew, r, rows, kv), alone[r].KvNew.Select(v => (double)v).ToArray());
                output.WriteLine($"window {window}, row {r} (pos {lengths[r] - 1}): logits vs alone {againstAlone:E2}, vs reference {againstReference:E2}, kv_new vs alone {kvError:E2}");
                Assert.True(againstAlone <= 1e-5, $"row {r}: {againstAlone:E2}");
                Assert.True(kvError <= 1e-5, $"row {r} kv_new: {kvError:E2}");
                Assert.True(againstReference <= 1e-4, $"row {r} vs reference: {againstReference:E2}");
                Assert.Equal(rowKv, alone[r].KvNew.Length);
            }
        }
        finally
        {
            foreach (var runner in runners)
                runner.Dispose();
        }
    }

    /// <summary>One decode call at batch = caches.Length: past_k / past_v (layers, batch, kv_heads, window, head_dim) assembled from each row's cache.</summary>
    private GraphOutputs RunBatch(int window, long[] tokens, long[] positions, float[][] caches, int tokensPerRow = 1)
    {
        var m = fixture.Bundle.Manifest;
        var kv = m.KvLayout;
        var rows = caches.Length;
        int run = window * kv.HeadDim, perLayer = kv.KvHeads * run;
        var keys = new float[kv.Layers * rows * perLayer];
        var values = new float[keys.Length];
        for (var r = 0; r < rows; r++)
            for (var l = 0; l < kv.Layers; l++)
            {
                // Row cache (2, layers, kv_heads, window, head_dim) → block (layers, batch, kv_heads, window, head_dim).
                caches[r].AsSpan(l * perLayer, perLayer).CopyTo(keys.AsSpan((l * rows + r) * perLayer));
                caches[r].AsSpan((kv.Layers + l) * perLayer, perLayer).CopyTo(values.AsSpan((l * rows + r) * perLayer));
            }

        using var device = Device.Open();
        using var graph = Graph.Load(device, Path.Combine(fixture.Bundle.BundleDirectory, m.Graph.OnnxFile));
        using var keyBlock = device.Allocate(keys.Length * sizeof(float));
        using var valueBlock = device.Allocate(values.Length * sizeof(float));
        keyBlock.Write<float>(keys);
        valueBlock.Write<float>(values);
        graph.InputBuffer(graph.InputIndex(GraphNames.Tokens)).Write<long>(tokens);
        graph.InputBuffer(graph.InputIndex(GraphNames.Position)).Write<long>(positions);
        graph.BindInput(graph.InputIndex(GraphNames.PastKeys), keyBlock, 0, keys.Length * sizeof(float));
        graph.BindInput(graph.InputIndex(GraphNames.PastValues), valueBlock, 0, values.Length * sizeof(float));
        graph.InputBuffer(graph.DynamicDimsInputIndex);
        long[] past = [kv.Layers, rows, kv.KvHeads, window, kv.HeadDim];
        graph.SetDynamicDims(Graph.DimsOf([rows, tokensPerRow, rows, .. past, .. past]));
        graph.Execute();

        T[] Read<T>(string name, int count) where T : unmanaged
        {
            var result = new T[count];
            graph.OutputBuffer(graph.OutputIndex(name)).Read<T>(result);
            return result;
        }
        LastAccepted = Read<long>(GraphNames.Accepted, rows);
        return new GraphOutputs(
            Read<float>(GraphNames.KvNew, kv.Layers * 2 * rows * kv.KvHeads * tokensPerRow * kv.HeadDim),
            Read<long>(GraphNames.NextIds, rows * tokensPerRow),
            LastAccepted[0],
            Read<float>(GraphNames.Logits, rows * tokensPerRow * m.Model.VocabSize));
    }

    /// <summary>accepted (batch, 1) of the last batched call.</summary>
    private long[] LastAccepted { get; set; } = [];

    [Fact]
    public void Verify_EachRowAcceptsItsOwnDrafts_APlainRowBesideDraftRows()
    {
        const int window = 16, k = TinyBundleFixture.VerifyK;
        int[] lengths = [6, 9, 12];
        int[] correctDrafts = [4, 1, 0];   // the last row's drafts are all wrong, as a plain row's padding would be
        var rows = lengths.Length;
        var caches = new float[rows][];
        var tokens = new long[rows * (k + 1)];
        var runners = new List<IBundleRunner>();
        var alone = new GraphOutputs[rows];
        try
        {
            for (var r = 0; r < rows; r++)
            {
                var prompt = RandomTokens(lengths[r], seed: 60 + r);
                var sequence = WithDrafts(prompt, correctDrafts[r]);
                var runner = new AclBundleRunner(fixture.Bundle.BundleDirectory);
                runners.Add(runner);
                new ParityDriver(runner, fixture.Reference.Run(sequence)).Prefill(sequence, lengths[r] - 1);
                caches[r] = runner.KvWindow(window);
                var input = sequence.Skip(lengths[r] - 1).Select(t => (long)t).ToArray();   // last prompt token + K drafts
                input.CopyTo(tokens, r * (k + 1));
                alone[r] = runner.Run(input, lengths[r] - 1, window);
            }

            var batched = RunBatch(window, tokens, lengths.Select(n => (long)(n - 1)).ToArray(), caches, tokensPerRow: k + 1);

            for (var r = 0; r < rows; r++)
            {
                Assert.Equal(correctDrafts[r], LastAccepted[r]);
                Assert.Equal(alone[r].Accepted, LastAccepted[r]);
                Assert.Equal(alone[r].NextIds, batched.NextIds.Skip(r * (k + 1)).Take(k + 1));
            }
        }
        finally
        {
            foreach (var runner in runners)
                runner.Dispose();
        }
    }

    private List<int> WithDrafts(IReadOnlyList<int> prompt, int correct) =>
        Parity.WithDrafts(fixture.Reference, prompt, correct, TinyBundleFixture.VerifyK, fixture.Checkpoint.Config.VocabSize);

    /// <summary>Row <paramref name="r"/> of a batched kv_new (layers, 2, batch, kv_heads, 1, head_dim) as a batch-1 kv_new.</summary>
    private static float[] BatchRowKv(float[] kvNew, int r, int rows, KvLayout kv)
    {
        var width = kv.KvHeads * kv.HeadDim;
        var row = new float[kv.Layers * 2 * width];
        for (var ls = 0; ls < kv.Layers * 2; ls++)
            kvNew.AsSpan((ls * rows + r) * width, width).CopyTo(row.AsSpan(ls * width));
        return row;
    }

    private List<int> RandomTokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(fixture.Checkpoint.Config.VocabSize)).ToList();
    }
}
