using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Sequences decoding together in one graph call per step (batch gears 1, 2, 4): every row's greedy tokens equal the
/// same sequence decoded alone, with rows of different lengths, rows crossing a window gear, rows leaving mid-batch
/// (the batch gear shrinking), and every byte of device memory back after.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class SequenceBatchTests : IDisposable
{
    private readonly TinyBundles _bundles;
    private readonly string _root = TempDirectory.Create("engine-batch");
    private readonly LanguageModel _model;

    public SequenceBatchTests(TinyBundles bundles)
    {
        _bundles = bundles;
        var directory = Path.Combine(_root, "batched");
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = bundles.Target.Directory,
            OutputDirectory = directory,
            ModelName = "target-batched",
            PrefillChunk = TinyBundles.Chunk,
            VerifyK = TinyBundles.VerifyK,
            Gears = TinyBundles.Gears,
            BatchGears = [1, 2, 4],
        });
        _model = LanguageModel.Load(bundles.Device, ModelBundle.Load(directory));
    }

    public void Dispose()
    {
        _model.Dispose();
        TempDirectory.Delete(_root);
    }

    [Fact]
    public void RowsOfDifferentLengths_LeavingMidBatch_GenerateWhatEachGeneratesAlone()
    {
        const int steps = 20;
        int[][] prompts = [Prompt(1, 6), Prompt(2, 20), Prompt(3, 29)];   // 29 + 20 crosses window gear 32
        var alone = prompts.Select(p => DecodeAlone(p, steps)).ToArray();
        var baseline = _bundles.Device.GetMemoryInfo().Free;

        var generated = prompts.Select(_ => new List<int>()).ToArray();
        using (var batch = new SequenceBatch(_model))
        {
            var owner = new List<int>();   // row → prompt
            var pending = new List<int>();
            foreach (var (prompt, i) in prompts.Select((p, i) => (p, i)))
            {
                using var sequence = _model.CreateSequence();
                var first = sequence.Prefill(prompt);
                Assert.Equal(owner.Count, batch.Add(sequence));
                Assert.Equal(0, sequence.Length);
                owner.Add(i);
                pending.Add(first);
                generated[i].Add(first);
            }
            Assert.Equal((4, 32), batch.Gears);

            var next = new int[batch.Capacity];
            for (var step = 1; step < steps; step++)
            {
                if (step == 8)
                {
                    // The middle row leaves: the last row moves into its slot, and 2 rows fit batch gear 2.
                    batch.Remove(1);
                    pending[1] = pending[2];
                    pending.RemoveAt(2);
                    owner = [0, 2];
                    Assert.Equal(2, batch.Gears.Batch);
                }
                batch.Step(pending.ToArray(), next);
                for (var r = 0; r < batch.Count; r++)
                {
                    pending[r] = next[r];
                    generated[owner[r]].Add(next[r]);
                }
            }
            Assert.Equal(128, batch.Gears.Window);   // the longest row crossed 32
            Assert.Equal(prompts[2].Length + steps - 1, batch.Length(1));
        }

        Assert.Equal(alone[0], generated[0]);
        Assert.Equal(alone[1].Take(8), generated[1]);   // left after its 8th token
        Assert.Equal(alone[2], generated[2]);
        Assert.Equal(baseline, _bundles.Device.GetMemoryInfo().Free);
    }

    [Fact]
    public void AFullBatch_RefusesAnotherRow_AndAnEmptySequenceCannotJoin()
    {
        using var batch = new SequenceBatch(_model);
        Assert.Equal(4, batch.Capacity);
        using (var empty = _model.CreateSequence())
            Assert.Throws<ArgumentException>(() => batch.Add(empty));
        for (var i = 0; i < batch.Capacity; i++)
        {
            using var sequence = _model.CreateSequence();
            sequence.Prefill(Prompt(10 + i, 5));
            batch.Add(sequence);
        }
        using var extra = _model.CreateSequence();
        extra.Prefill(Prompt(20, 5));
        Assert.Throws<InvalidOperationException>(() => batch.Add(extra));
    }

    private List<int> DecodeAlone(int[] prompt, int steps)
    {
        using var sequence = _model.CreateSequence();
        var tokens = new List<int> { sequence.Prefill(prompt) };
        while (tokens.Count < steps)
            tokens.Add(sequence.Decode(tokens[^1]));
        return tokens;
    }

    private int[] Prompt(int seed, int length) => Prompts.Random(seed, length, _bundles.FirstPlainToken, _bundles.VocabSize);
}
