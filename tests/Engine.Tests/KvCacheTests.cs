using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Tests;

[Collection(TinyBundlesCollection.Name)]
public sealed class KvCacheTests(TinyBundles bundles)
{
    [Fact]
    public void ChunkedPrefillThenDecode_MatchesTheReferenceForward()
    {
        // 37 prompt tokens: two full prefill chunks and a partial one, then decode steps across the 32-gear boundary.
        var prompt = Prompts.Random(31, 37, bundles.FirstPlainToken, bundles.VocabSize);

        var result = Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = 20 });

        var reference = bundles.Target.Reference();
        var context = prompt.ToList();
        for (var i = 0; i < result.Tokens.Length; i++)
        {
            var logits = reference.Run(context).Logits[^1];
            var expected = Array.IndexOf(logits, logits.Max());
            var sorted = logits.OrderDescending().ToArray();
            Assert.True(expected == result.Tokens[i],
                $"token {i}: engine {result.Tokens[i]}, reference {expected} (reference top-2 margin {sorted[0] - sorted[1]:E3})");
            context.Add(result.Tokens[i]);
        }
    }

    [Fact]
    public void GearSwitchMidGeneration_GrowsTheCacheOnce_AndDoesNotChangeTheOutput()
    {
        // Starts in the 32-slot gear and grows into 128; compared with a sequence whose cache is at 128 from the start.
        var model = bundles.TargetModel;
        var prompt = Prompts.Random(32, 20, bundles.FirstPlainToken, bundles.VocabSize);
        var options = new GenerationOptions { MaxNewTokens = 40 };

        using var growing = model.CreateSequence();
        growing.Prefill(prompt);
        Assert.Equal(32, growing.Capacity);
        growing.Truncate(0);
        var switching = Generator.Generate(model, prompt, options, reuse: null);
        var pinned = model.CreateSequence();
        pinned.Reserve(128);
        var fixedGear = Generator.Generate(model, prompt, options, reuse: pinned);

        Assert.True(switching.Tokens.Length > 12, "generation must run past the 32-position gear");
        Assert.Equal(fixedGear.Tokens, switching.Tokens);
    }

    [Fact]
    public void Caches_AreAllocatedByGear_GrownOnDemand_AndAccountedToTheByte()
    {
        var model = bundles.TargetModel;
        var layout = model.Manifest.KvLayout;
        var before = (model.Caches.BytesInUse, model.Caches.InUse);

        using (var sequence = model.CreateSequence())
        {
            Assert.Equal((0, 0), (sequence.Capacity, model.Caches.InUse - before.InUse));   // nothing until the first call
            sequence.Prefill(Prompts.Random(35, 10, bundles.FirstPlainToken, bundles.VocabSize));
            Assert.Equal(32, sequence.Capacity);
            Assert.Equal(layout.BytesFor(32), model.Caches.BytesInUse - before.BytesInUse);
            sequence.Prefill(Prompts.Random(36, 30, bundles.FirstPlainToken, bundles.VocabSize));   // 40 positions: next gear
            Assert.Equal((128, 40), (sequence.Capacity, sequence.Length));
            Assert.Equal(layout.BytesFor(128), model.Caches.BytesInUse - before.BytesInUse);
        }
        Assert.Equal(before, (model.Caches.BytesInUse, model.Caches.InUse));
    }

    [Fact]
    public void PromptOverTheContext_IsAClearErrorBeforeAnyDeviceWork()
    {
        var model = bundles.TargetModel;
        var prompt = Prompts.Random(33, TinyBundles.Context, bundles.FirstPlainToken, bundles.VocabSize);
        var passes = model.ForwardPasses;
        var inUse = model.Caches.InUse;

        var error = Assert.Throws<ContextOverflowException>(() => Generator.Generate(model, prompt, new GenerationOptions()));

        Assert.Equal(TinyBundles.Context, error.Limit);
        Assert.Contains("context", error.Message);
        Assert.Equal(passes, model.ForwardPasses);
        Assert.Equal(inUse, model.Caches.InUse);
    }

    [Fact]
    public void GenerationReachingTheContextEnd_StopsWithLength()
    {
        var prompt = Prompts.Random(34, TinyBundles.Context - 5, bundles.FirstPlainToken, bundles.VocabSize);

        var result = Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = 50 });

        Assert.True(result.Tokens.Length <= 5);
        Assert.True(result.FinishReason is FinishReason.Length or FinishReason.EndOfSequence);
    }

    [Fact]
    public void Commit_PastTheContext_Throws()
    {
        using var sequence = bundles.TargetModel.CreateSequence();

        Assert.Throws<ContextOverflowException>(() => sequence.Prefill(new int[TinyBundles.Context + 1]));
    }
}
