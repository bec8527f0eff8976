using AscendAio.Engine.Generation;

namespace AscendAio.Engine.Tests;

[Collection(TinyBundlesCollection.Name)]
public sealed class GenerationBehaviourTests(TinyBundles bundles)
{
    [Fact]
    public void Sampling_IsReproducibleBySeed()
    {
        var prompt = Prompts.Random(51, 12, bundles.FirstPlainToken, bundles.VocabSize);
        GenerationOptions Options(int seed) => new() { MaxNewTokens = 24, Temperature = 1.5, TopP = 0.95, Seed = seed };

        var first = Generator.Generate(bundles.TargetModel, prompt, Options(7));
        var again = Generator.Generate(bundles.TargetModel, prompt, Options(7));
        var others = Enumerable.Range(8, 4).Select(s => Generator.Generate(bundles.TargetModel, prompt, Options(s)).Tokens).ToList();

        Assert.Equal(first.Tokens, again.Tokens);
        Assert.Contains(others, o => !o.SequenceEqual(first.Tokens));
    }

    [Fact]
    public void MaxNewTokens_BoundsTheOutput()
    {
        var prompt = Prompts.Random(52, 10, bundles.FirstPlainToken, bundles.VocabSize);

        var result = Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = 7, Strategy = new PromptLookupDecoding() });

        Assert.True(result.Tokens.Length <= 7);
        if (result.FinishReason == FinishReason.Length)
            Assert.Equal(7, result.Tokens.Length);
    }

    [Fact]
    public void StopString_EndsGenerationAndIsNotReturned()
    {
        var prompt = Prompts.Random(53, 10, bundles.FirstPlainToken, bundles.VocabSize);
        var full = Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = 30 });
        Assert.True(full.Text.Length >= 6, "need some text to cut");
        var stop = full.Text.Substring(full.Text.Length / 2, 2);
        var expected = full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = 30, StopStrings = [stop] });

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(expected, stopped.Text);
    }

    [Fact]
    public async Task Streaming_YieldsTheSameTokensAndTextAsGenerate()
    {
        var prompt = Prompts.Random(54, 15, bundles.FirstPlainToken, bundles.VocabSize);
        var options = new GenerationOptions { MaxNewTokens = 20 };
        var whole = Generator.Generate(bundles.TargetModel, prompt, options);

        var tokens = new List<int>();
        var text = "";
        GenerationUpdate? last = null;
        await foreach (var update in Generator.StreamAsync(bundles.TargetModel, prompt, options))
        {
            tokens.AddRange(update.Tokens);
            text += update.TextDelta;
            last = update;
        }

        Assert.Equal(whole.Tokens, tokens);
        Assert.Equal(whole.Text, text);
        Assert.NotNull(last?.Finish);
        Assert.Equal(whole.Tokens.Length, last!.Metrics!.GeneratedTokens);
    }

    [Fact]
    public void Metrics_CountPassesDraftsAndWeightBytes()
    {
        var prompt = Prompts.Repeating(55, 30, 5, bundles.FirstPlainToken, bundles.VocabSize);

        var result = Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = 30, Strategy = new PromptLookupDecoding(6, 4) });

        var m = result.Metrics;
        Assert.Equal(prompt.Length, m.PromptTokens);
        Assert.Equal(result.Tokens.Length, m.GeneratedTokens);
        Assert.True(m.ForwardPasses >= 2 && m.ForwardPasses <= result.Tokens.Length + 2, $"{m.ForwardPasses} passes for {result.Tokens.Length} tokens");
        Assert.Equal(m.ForwardPasses * bundles.TargetModel.WeightBytes, m.WeightBytesStreamed);
        Assert.InRange(m.DraftTokensAccepted, 0, m.DraftTokensProposed);
        Assert.True(m.PrefillMs > 0 && m.DecodeMs > 0);
    }

    [Fact]
    public void InvalidOptions_NameTheField()
    {
        var prompt = Prompts.Random(56, 5, bundles.FirstPlainToken, bundles.VocabSize);

        var error = Assert.Throws<ArgumentException>(() => Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { TopP = 0 }));

        Assert.Contains("top_p", error.Message);
    }
}
