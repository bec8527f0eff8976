using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Log probabilities: the log-softmax and top tokens of one logits row against a float64 computation written here;
/// a generation's entries against the model's own logits replayed step by step; the batched scheduler's entries
/// equal to a request's run alone; options that cannot return them refused.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class LogprobTests(TinyBundles bundles)
{
    private readonly LanguageModel _model = bundles.BatchedModel;

    [Fact]
    public void Read_IsTheLogSoftmax_AndTheTopTokensMostLikelyFirst_LowerIdFirstOnTies()
    {
        float[] logits = [1f, 3f, -2f, 3f, 0.5f];
        var normalizer = Math.Log(logits.Sum(x => Math.Exp(x)));

        var entry = TokenLogprob.Read(logits, token: 4, top: 3);

        Assert.Equal(4, entry.Token);
        Assert.Equal(0.5 - normalizer, entry.Logprob, 1e-6);
        Assert.Equal([1, 3, 0], entry.Top.Select(t => t.Token));
        Assert.Equal(3 - normalizer, entry.Top[0].Logprob, 1e-6);
        Assert.Equal(1 - normalizer, entry.Top[2].Logprob, 1e-6);
        // Asking for the whole vocabulary lists it all, and its probabilities sum to one.
        var all = TokenLogprob.Read(logits, token: 2, top: 20);
        Assert.Equal(logits.Length, all.Top.Count);
        Assert.Equal(1.0, all.Top.Sum(t => Math.Exp(t.Logprob)), 1e-6);
        Assert.Empty(TokenLogprob.Read(logits, token: 0, top: 0).Top);
    }

    [Fact]
    public void Read_RefusesATokenOutsideTheRow_AndMoreThanTwentyAlternatives()
    {
        float[] logits = [0f, 1f];
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenLogprob.Read(logits, token: 2, top: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenLogprob.Read(logits, token: 0, top: 21));
    }

    [Fact]
    public void GreedyGeneration_WithLogprobs_KeepsItsTokens_AndEachEntryIsTheModelsLogSoftmaxAtThatPosition()
    {
        var prompt = Prompt(11, 9);
        var plain = Generator.Generate(_model, prompt, new GenerationOptions { MaxNewTokens = 8 });
        var options = new GenerationOptions { MaxNewTokens = 8, Logprobs = 4 };

        var entries = new List<TokenLogprob>();
        var tokens = new List<int>();
        using (var session = GenerationSession.Start(_model, prompt, options))
        {
            while (session.Step())
            {
                tokens.AddRange(session.NewTokens.ToArray());
                entries.AddRange(session.NewLogprobs);
            }
        }

        Assert.Equal(plain.Tokens, tokens);   // the logits graphs' arg-max is the decode graphs' choice
        Assert.Equal(tokens, entries.Select(e => e.Token));
        // Replay: the model's logits at each position, log-softmaxed here in float64.
        var logits = new float[_model.VocabSize];
        using var replay = _model.CreateSequence();
        replay.PrefillLogits(prompt, logits);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i > 0)
                replay.DecodeLogits(tokens[i - 1], logits);
            var normalizer = Math.Log(logits.Sum(x => Math.Exp(x)));
            Assert.Equal(logits[tokens[i]] - normalizer, entries[i].Logprob, 1e-4);
            Assert.Equal(4, entries[i].Top.Count);
            Assert.Equal(tokens[i], entries[i].Top[0].Token);   // greedy: the chosen token is the likeliest
            Assert.True(entries[i].Top.Zip(entries[i].Top.Skip(1)).All(p => p.First.Logprob >= p.Second.Logprob));
        }
    }

    [Fact]
    public async Task BatchedRows_WithLogprobs_BesideGreedyAndSampledRows_GetTheirRunsAloneEntries()
    {
        var prompts = Enumerable.Range(0, 4).Select(i => Prompt(40 + i, 4 + 7 * i)).ToArray();   // short ones are fed through the steps
        GenerationOptions[] options =
        [
            new() { MaxNewTokens = 9, Logprobs = 2 },
            new() { MaxNewTokens = 9 },
            new() { MaxNewTokens = 9, Temperature = 0.9, Seed = 5, Logprobs = 0 },
            new() { MaxNewTokens = 9, Logprobs = 5 },
        ];
        var alone = new List<TokenLogprob>[prompts.Length];
        for (var i = 0; i < prompts.Length; i++)
            alone[i] = await Entries(Generator.StreamAsync(_model, prompts[i], options[i]));

        using var scheduler = new StepScheduler(_model);
        var batched = await Task.WhenAll(prompts.Select((p, i) => Entries(scheduler.StreamAsync(p, options[i]))));

        Assert.True(scheduler.RowSteps > scheduler.Steps, "the requests shared batched steps");
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i].Select(e => e.Token), batched[i].Select(e => e.Token));
            Assert.Equal(alone[i].Select(e => e.Top.Count), batched[i].Select(e => e.Top.Count));
            for (var t = 0; t < alone[i].Count; t++)
                Assert.Equal(alone[i][t].Logprob, batched[i][t].Logprob, 1e-4);
        }
        Assert.Empty(batched[1]);   // a request that did not ask gets none
        Assert.Equal(9, batched[0].Count);
    }

    [Fact]
    public void Options_RefuseLogprobsWithASpeculativeStrategy_AndMoreThanTwentyAlternatives()
    {
        var pld = Assert.Throws<ArgumentException>(() => new GenerationOptions { Logprobs = 1, Strategy = new PromptLookupDecoding() }.Validate());
        Assert.Equal(nameof(GenerationOptions.Strategy), pld.ParamName);
        Assert.Contains("log probabilities", pld.Message, StringComparison.Ordinal);
        var many = Assert.Throws<ArgumentException>(() => new GenerationOptions { Logprobs = 21 }.Validate());
        Assert.Equal(nameof(GenerationOptions.Logprobs), many.ParamName);
    }

    private static async Task<List<TokenLogprob>> Entries(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var entries = new List<TokenLogprob>();
        await foreach (var update in updates)
        {
            if (update.Logprobs is { } logprobs)
            {
                Assert.Equal(update.Tokens.Length, logprobs.Count);   // one per token of the update
                entries.AddRange(logprobs);
            }
        }
        return entries;
    }

    private int[] Prompt(int seed, int length) => Prompts.Random(seed, length, bundles.FirstPlainToken, bundles.VocabSize);
}
