using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Tests;

/// <summary>
/// presence_penalty, frequency_penalty and logit_bias: greedy generation against a replay written here from OpenAI's
/// formula over the model's own logits, alone and in batched rows; a +100 bias forces its token; bad values refused.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class LogitAdjustmentTests(TinyBundles bundles)
{
    private readonly LanguageModel _model = bundles.BatchedModel;

    [Fact]
    public async Task Penalties_FollowOpenAisFormula_OverTheModelsLogits_AloneAndBatched()
    {
        var prompt = Prompt(21, 7);
        var options = new GenerationOptions { MaxNewTokens = 12, PresencePenalty = 0.7, FrequencyPenalty = 1.3 };

        var expected = Replay(prompt, options);
        var alone = Generator.Generate(_model, prompt, options).Tokens;
        using var scheduler = new StepScheduler(_model);
        var neighbour = Generator.Generate(_model, Prompt(22, 9), new GenerationOptions { MaxNewTokens = 12 }).Tokens;
        var batched = await Task.WhenAll(Tokens(scheduler.StreamAsync(prompt, options)), Tokens(scheduler.StreamAsync(Prompt(22, 9), new GenerationOptions { MaxNewTokens = 12 })));

        Assert.Equal(expected, alone);
        Assert.Equal(expected, batched[0]);
        Assert.Equal(neighbour, batched[1]);   // the row beside it is untouched
        Assert.NotEqual(Generator.Generate(_model, prompt, options with { PresencePenalty = 0, FrequencyPenalty = 0 }).Tokens, alone);
    }

    [Fact]
    public void LogitBias_OfPlus100_ForcesItsToken_AndMinus100_BansTheGreedyChoice()
    {
        var prompt = Prompt(23, 6);
        var forced = bundles.FirstPlainToken + 3;
        var plain = Generator.Generate(_model, prompt, new GenerationOptions { MaxNewTokens = 6 }).Tokens;

        var biased = Generator.Generate(_model, prompt, new GenerationOptions { MaxNewTokens = 6, LogitBias = new Dictionary<int, double> { [forced] = 100 } });
        var banned = Generator.Generate(_model, prompt, new GenerationOptions { MaxNewTokens = 1, LogitBias = new Dictionary<int, double> { [plain[0]] = -100 } });

        Assert.All(biased.Tokens, t => Assert.Equal(forced, t));
        Assert.Equal(6, biased.Tokens.Length);
        Assert.NotEqual(plain[0], banned.Tokens[0]);
    }

    [Fact]
    public void Options_RefuseOutOfRangeValues_ASpeculativeStrategy_AndATokenOutsideTheVocabulary()
    {
        Assert.Equal(nameof(GenerationOptions.PresencePenalty),
            Assert.Throws<ArgumentException>(() => new GenerationOptions { PresencePenalty = 2.5 }.Validate()).ParamName);
        Assert.Equal(nameof(GenerationOptions.FrequencyPenalty),
            Assert.Throws<ArgumentException>(() => new GenerationOptions { FrequencyPenalty = double.NaN }.Validate()).ParamName);
        Assert.Equal(nameof(GenerationOptions.LogitBias),
            Assert.Throws<ArgumentException>(() => new GenerationOptions { LogitBias = new Dictionary<int, double> { [5] = 101 } }.Validate()).ParamName);
        Assert.Equal(nameof(GenerationOptions.Strategy),
            Assert.Throws<ArgumentException>(() => new GenerationOptions { FrequencyPenalty = 1, Strategy = new PromptLookupDecoding() }.Validate()).ParamName);
        var outside = Assert.Throws<ArgumentException>(() => Generator.Generate(_model, Prompt(24, 4),
            new GenerationOptions { LogitBias = new Dictionary<int, double> { [_model.VocabSize] = 1 } }));
        Assert.Contains("outside", outside.Message, StringComparison.Ordinal);
    }

    /// <summary>Greedy decoding by hand: the model's logits, minus c[j]·frequency + (c[j] &gt; 0)·presence per generated token.</summary>
    private int[] Replay(int[] prompt, GenerationOptions options)
    {
        var logits = new float[_model.VocabSize];
        var counts = new Dictionary<int, int>();
        var tokens = new List<int>();
        using var sequence = _model.CreateSequence();
        sequence.PrefillLogits(prompt, logits);
        while (tokens.Count < options.MaxNewTokens)
        {
            var adjusted = logits.Select((l, j) => counts.TryGetValue(j, out var c) ? l - c * options.FrequencyPenalty - options.PresencePenalty : l).ToArray();
            var next = Array.IndexOf(adjusted, adjusted.Max());
            if (_model.EndOfSequenceIds.Contains(next))
                break;
            tokens.Add(next);
            counts[next] = counts.GetValueOrDefault(next) + 1;
            sequence.DecodeLogits(next, logits);
        }
        return [.. tokens];
    }

    private static async Task<int[]> Tokens(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var tokens = new List<int>();
        await foreach (var update in updates)
            tokens.AddRange(update.Tokens);
        return [.. tokens];
    }

    private int[] Prompt(int seed, int length) => Prompts.Random(seed, length, bundles.FirstPlainToken, bundles.VocabSize);
}
