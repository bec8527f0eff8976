using AscendAio.Engine.Models;

namespace AscendAio.Engine.Tests;

/// <summary>
/// A long prefill passes the model on between chunks: the gate is granted in arrival order, and a prefill takes it
/// once per chunk, so a step that queued while a chunk ran goes before the next chunk. Callers are lined up on the
/// gate before it opens, so the order is deterministic however loaded the machine is.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class PrefillInterleavingTests(TinyBundles bundles)
{
    [Fact]
    public void TheGate_GrantsTurnsInArrivalOrder()
    {
        var gate = new ModelGate();
        var order = new List<int>();
        var threads = new List<Thread>();
        using (gate.Enter())
        {
            for (var caller = 1; caller <= 3; caller++)
            {
                var id = caller;
                var thread = new Thread(() =>
                {
                    using (gate.Enter())
                        order.Add(id);
                });
                thread.Start();
                threads.Add(thread);
                WaitUntil(() => gate.Waiting == id);
            }
        }
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));

        Assert.Equal([1, 2, 3], order);
    }

    [Fact]
    public void ADecodeQueuedDuringAPrefill_RunsBeforeTheNextChunk()
    {
        var model = bundles.TargetModel;
        var prompt = Prompts.Random(1, 7 * TinyBundles.Chunk, bundles.FirstPlainToken, bundles.VocabSize);   // 7 chunks
        using var decoding = model.CreateSequence();
        using var prefilling = model.CreateSequence();
        var token = decoding.Prefill([bundles.FirstPlainToken, bundles.FirstPlainToken + 1]);
        long passesSeenByDecode = -1;

        Thread prefill, decode;
        long entriesBefore;
        using (model.Gate.Enter())
        {
            entriesBefore = model.Gate.Entries;   // this turn included
            prefill = new Thread(() => prefilling.Prefill(prompt));
            prefill.Start();
            WaitUntil(() => model.Gate.Waiting == 1);   // the prefill's first chunk is queued
            decode = new Thread(() =>
            {
                decoding.Decode(token);
                passesSeenByDecode = prefilling.ForwardPasses;
            });
            decode.Start();
            WaitUntil(() => model.Gate.Waiting == 2);   // the decode is queued behind it
        }
        Assert.True(prefill.Join(TimeSpan.FromSeconds(60)) && decode.Join(TimeSpan.FromSeconds(60)));

        // The prefill took the gate once per chunk (7 turns), the decode one: held across the prompt, the decode
        // would have waited for all 7 chunks. The decode's turn came right after chunk 1, so when it returned the
        // prefill had run at most the chunks that went while the decoding thread was between its turn and its read.
        Assert.Equal(7, prefilling.ForwardPasses);
        Assert.Equal(8, model.Gate.Entries - entriesBefore);
        Assert.InRange(passesSeenByDecode, 1, 7);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "callers did not line up at the gate");
            Thread.Sleep(1);
        }
    }
}
