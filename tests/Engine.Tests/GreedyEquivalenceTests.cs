using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Under greedy decoding, prompt lookup and draft speculation must produce exactly Plain's tokens: verify and
/// decode graphs compute each position with the same accumulation order. A mismatch reports the reference
/// model's top-2 logit margin at the diverging position, so a float near-tie is told apart from a bug.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class GreedyEquivalenceTests(TinyBundles bundles)
{
    private const int NewTokens = 40;

    public static TheoryData<string, int> Prompts_() => new()
    {
        { "random", 1 }, { "random", 2 }, { "random", 3 }, { "random", 4 }, { "random", 5 },
        { "repeating", 6 }, { "repeating", 7 }, { "repeating", 8 }, { "repeating", 9 }, { "repeating", 10 },
    };

    [Theory]
    [MemberData(nameof(Prompts_))]
    public void PromptLookup_MatchesPlainTokenForToken(string kind, int seed)
    {
        var prompt = MakePrompt(kind, seed);
        var plain = Run(prompt, DecodingStrategy.Plain);

        var pld = Run(prompt, new PromptLookupDecoding(MaxNgram: 6, LookAhead: TinyBundles.VerifyK));

        AssertSameTokens(prompt, plain, pld);
        // A repeating prompt always has an n-gram match, so every step after the first proposes drafts
        // (a random model may end at once with EOS, leaving no step to propose in).
        if (kind == "repeating" && plain.Tokens.Length > 1)
            Assert.True(pld.Metrics.DraftTokensProposed > 0, "a repeating prompt should give PLD drafts to check");
    }

    [Theory]
    [MemberData(nameof(Prompts_))]
    public void DraftSpeculation_MatchesPlainTokenForToken(string kind, int seed)
    {
        var prompt = MakePrompt(kind, seed);
        var plain = Run(prompt, DecodingStrategy.Plain);

        var draft = Run(prompt, new DraftSpeculativeDecoding(DraftTokens: TinyBundles.VerifyK));

        AssertSameTokens(prompt, plain, draft);
        if (plain.Tokens.Length > 1)
        {
            Assert.True(draft.Metrics.DraftTokensProposed > 0);
            Assert.True(draft.Metrics.DraftForwardPasses > 0);
        }
    }

    [Fact]
    public void PromptLookup_OnRepeatingPrompts_AcceptsDrafts()
    {
        var accepted = 0;
        for (var seed = 20; seed < 26; seed++)
            accepted += Run(MakePrompt("repeating", seed), new PromptLookupDecoding(6, TinyBundles.VerifyK)).Metrics.DraftTokensAccepted;

        Assert.True(accepted > 0, "the tiny model continues repeated phrases at least sometimes");
    }

    private int[] MakePrompt(string kind, int seed) => kind == "random"
        ? Prompts.Random(seed, 20 + seed, bundles.FirstPlainToken, bundles.VocabSize)
        : Prompts.Repeating(seed, 24 + seed, 5, bundles.FirstPlainToken, bundles.VocabSize);

    private GenerationResult Run(int[] prompt, DecodingStrategy strategy) =>
        Generator.Generate(bundles.TargetModel, prompt, new GenerationOptions { MaxNewTokens = NewTokens, Strategy = strategy },
            strategy is DraftSpeculativeDecoding ? bundles.DrafterModel : null);

    private void AssertSameTokens(int[] prompt, GenerationResult expected, GenerationResult actual)
    {
        var at = 0;
        while (at < expected.Tokens.Length && at < actual.Tokens.Length && expected.Tokens[at] == actual.Tokens[at])
            at++;
        if (at == expected.Tokens.Length && at == actual.Tokens.Length)
            return;
        // Diverged: how close was the reference model to a tie at that position?
        var context = prompt.Concat(expected.Tokens.Take(at)).ToList();
        var logits = bundles.Target.Reference().Run(context).Logits[^1];
        var sorted = logits.OrderDescending().ToArray();
        Assert.Fail($"tokens diverge at generated position {at} (plain {Token(expected, at)}, other {Token(actual, at)}); " +
                    $"reference top-2 logit margin there: {sorted[0] - sorted[1]:E3}");
    }

    private static string Token(GenerationResult result, int at) => at < result.Tokens.Length ? result.Tokens[at].ToString() : "end";
}
