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
    public void GearSwitchMidGeneration_DoesNotChangeTheOutput()
    {
        // Starts in the 32-slot gear and crosses into 128; compared with a model that only has the 128 gear.
        var prompt = Prompts.Random(32, 20, bundles.FirstPlainToken, bundles.VocabSize);
        using var largeGearOnly = LanguageModel.Load(bundles.Device, bundles.TargetModel.Bundle,
            new LanguageModelOptions { Gears = new HashSet<int> { 128 }, LoadLogits = false });
        var options = new GenerationOptions { MaxNewTokens = 40 };

        var switching = Generator.Generate(bundles.TargetModel, prompt, options);
        var fixedGear = Generator.Generate(largeGearOnly, prompt, options);

        Assert.True(switching.Tokens.Length > 12, "generation must run past the 32-position gear");
        Assert.Equal(fixedGear.Tokens, switching.Tokens);
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
