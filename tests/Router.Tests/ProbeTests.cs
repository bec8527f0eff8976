using AscendAio.Engine.Models;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Tests;

[Collection(TinyPairCollection.Name)]
public sealed class ProbeTests(TinyPair pair)
{
    [Fact]
    public void Probe_GivesADistributionOverTheBundlesCategories()
    {
        var probe = new IntentProbe(pair.Small);

        using var run = probe.Run("def add(a, b):");
        var r = run.Result;

        Assert.Equal(["code", "qa", "math"], probe.Categories);
        Assert.Equal(1.0, r.Distribution.Probabilities.Sum(), 9);
        Assert.InRange(r.Entropy, 0, Math.Log(3) + 1e-12);
        Assert.Contains(r.Category, probe.Categories);
        Assert.False(r.Truncated);
        Assert.False(run.HasSequence);
        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public void Probe_ReadsTheLogitsAtTheCategoryTokensAfterTheTemplate()
    {
        var request = "What is the capital of France?";
        var tokens = pair.Small.Tokenizer.Encode("<|bos|>" + request + "<|probe|>");
        var logits = new float[pair.Small.VocabSize];
        using (var sequence = pair.Small.CreateSequence())
            sequence.PrefillLogits(tokens, logits);
        var ids = new[] { "code", "qa", "math" }.Select(c => pair.Small.Manifest.CategoryTokens[c]).ToArray();
        var expected = CategoryDistribution.FromLogits(["code", "qa", "math"], ids.Select(i => logits[i]).ToArray());

        using var run = new IntentProbe(pair.Small).Run(request);

        Assert.Equal(tokens, run.Tokens);
        Assert.Equal(expected.Probabilities, run.Result.Distribution.Probabilities);
        Assert.Equal(expected.Entropy, run.Result.Entropy);
    }

    [Fact]
    public void Probe_IsDeterministic()
    {
        var probe = new IntentProbe(pair.Small);

        using var a = probe.Run("Compute 12 + 30.");
        using var b = probe.Run("Compute 12 + 30.");

        Assert.Equal(a.Result.Distribution.Probabilities, b.Result.Distribution.Probabilities);
    }

    [Fact]
    public void Probe_OfARequestLongerThanTheContext_KeepsBosAndTheTail()
    {
        var request = string.Concat(Enumerable.Repeat("the river bridge market ", 40)) + "Who wrote the book?";
        var full = pair.Small.Tokenizer.Encode("<|bos|>" + request + "<|probe|>");
        Assert.True(full.Length > pair.Small.ContextLimit, "the request must overflow the small context");

        using var run = new IntentProbe(pair.Small).Run(request, keepSequence: true);

        Assert.True(run.Result.Truncated);
        Assert.Equal(pair.Small.ContextLimit, run.Tokens.Length);
        Assert.Equal(full[0], run.Tokens[0]);
        Assert.Equal(full[^(TinyPair.SmallContext - 1)..], run.Tokens[1..]);
        Assert.False(run.HasSequence); // a truncated probe's cache is no prefix of the prompt: nothing to reuse
    }

    [Fact]
    public void KeptSequence_TruncatesToTheSharedPrefixOfTheGenerationPrompt()
    {
        var request = "for i in range(10):";
        var prompt = pair.Small.Tokenizer.Encode(ModelBundle.Apply(pair.Small.Manifest.Templates.Generation, request));
        var requestTokens = pair.Small.Tokenizer.Encode(request).Length;

        using var run = new IntentProbe(pair.Small).Run(request, keepSequence: true);
        using var reusable = run.TakeReusablePrefix(prompt);

        Assert.NotNull(reusable);
        Assert.Equal(1 + requestTokens, reusable.Length); // <|bos|> + the request
        Assert.Null(run.TakeReusablePrefix(prompt));
    }
}
