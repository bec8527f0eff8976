using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Sequences decoding together in one graph call per step (batch gears 1, 2, 4): every row's greedy tokens equal the
/// same sequence decoded alone, with rows of different lengths, rows crossing a window gear, rows leaving mid-batch
/// (the batch gear shrinking), and every byte of device memory back after.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class SequenceBatchTests(TinyBundles bundles)
{
    private readonly TinyBundles _bundles = bundles;
    private readonly LanguageModel _model = bundles.BatchedModel;

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

    [Fact]
    public void Verify_RowsWithRightWrongAndNoDrafts_EachCommitsWhatItDecodesAlone()
    {
        const int steps = 12, slots = TinyBundles.VerifyK + 1;
        int[][] prompts = [Prompt(31, 9), Prompt(32, 17), Prompt(33, 4)];
        var alone = prompts.Select(p => DecodeAlone(p, steps)).ToArray();   // alone[i][0] is the prefill's token
        var baseline = _bundles.Device.GetMemoryInfo().Free;

        using (var batch = new SequenceBatch(_model))
        {
            foreach (var prompt in prompts)
            {
                using var sequence = _model.CreateSequence();
                sequence.Prefill(prompt);
                batch.Add(sequence);
            }
            // Row 0 drafts its next 3 tokens right; row 1 drafts the first right and the second wrong; row 2 has none.
            var wrong = alone[1][3] == _bundles.FirstPlainToken ? _bundles.FirstPlainToken + 1 : _bundles.FirstPlainToken;
            var tokens = new int[3 * slots];
            int[] draftCounts = [3, 2, 0];
            tokens[0] = alone[0][0]; alone[0].Skip(1).Take(3).ToArray().CopyTo(tokens, 1);
            tokens[slots] = alone[1][0]; tokens[slots + 1] = alone[1][1]; tokens[slots + 2] = wrong;
            tokens[2 * slots] = alone[2][0];
            var produced = new int[3 * slots];
            var counts = new int[3];
            var logits = new float[3 * _model.VocabSize];

            batch.Verify(tokens, draftCounts, produced, counts, logits);

            Assert.Equal([4, 2, 1], counts);
            Assert.Equal(alone[0].Skip(1).Take(4), produced.Take(4));
            Assert.Equal(alone[1].Skip(1).Take(2), produced.Skip(slots).Take(2));
            Assert.Equal(alone[2][1], produced[2 * slots]);
            // The logits after each row's pending token pick that row's next token.
            for (var r = 0; r < 3; r++)
                Assert.Equal(alone[r][1], Sampler.ArgMax(logits.AsSpan(r * _model.VocabSize, _model.VocabSize)));
            Assert.Equal([prompts[0].Length + 4, prompts[1].Length + 2, prompts[2].Length + 1], [batch.Length(0), batch.Length(1), batch.Length(2)]);

            // Plain steps after the verify continue each row exactly as alone.
            int[] pending = [produced[3], produced[slots + 1], produced[2 * slots]];
            int[] at = [4, 2, 1];
            var next = new int[3];
            while (at.Max() < steps - 1)
            {
                batch.Step(pending, next);
                for (var r = 0; r < 3; r++)
                {
                    at[r]++;
                    Assert.Equal(alone[r][at[r]], next[r]);
                    pending[r] = next[r];
                }
            }
        }
        Assert.Equal(baseline, _bundles.Device.GetMemoryInfo().Free);
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
