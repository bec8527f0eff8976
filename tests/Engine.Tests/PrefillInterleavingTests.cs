namespace AscendAio.Engine.Tests;

/// <summary>A long prefill passes the model on between chunks: other sequences' decode steps run in between.</summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class PrefillInterleavingTests(TinyBundles bundles)
{
    [Fact]
    public void DecodeSteps_RunBetweenTheChunksOfAnotherSequencesPrefill()
    {
        var model = bundles.TargetModel;
        var prompt = Prompts.Random(1, 7 * TinyBundles.Chunk, bundles.FirstPlainToken, bundles.VocabSize);   // 7 chunks
        using var decoding = model.CreateSequence();
        using var prefilling = model.CreateSequence();
        var token = decoding.Prefill([bundles.FirstPlainToken, bundles.FirstPlainToken + 1]);

        var seen = new List<int>();   // the prefilling sequence's passes, as each decode step saw them
        var prefillDone = false;
        var stepped = new ManualResetEventSlim();
        var decoder = new Thread(() =>
        {
            while (!Volatile.Read(ref prefillDone))
            {
                if (decoding.Length >= 100)
                    decoding.Truncate(2);
                token = decoding.Decode(token);
                seen.Add(prefilling.ForwardPasses);
                stepped.Set();
            }
        });
        decoder.Start();
        Assert.True(stepped.Wait(TimeSpan.FromSeconds(30)), "the decoding thread never stepped");

        prefilling.Prefill(prompt);
        Volatile.Write(ref prefillDone, true);
        Assert.True(decoder.Join(TimeSpan.FromSeconds(30)));

        Assert.Equal(7, prefilling.ForwardPasses);
        // With the model held for the whole prompt, a step could only see 0 or 7 passes. Taken per chunk, a step queued
        // while a chunk ran goes before the next one (on a loaded machine the decoding thread is not always queued in
        // time, so not every boundary need show one).
        var between = seen.Count(p => p is > 0 and < 7);
        Assert.True(between >= 1, $"decode steps saw the prefill at passes [{string.Join(", ", seen.Distinct())}]");
    }
}
