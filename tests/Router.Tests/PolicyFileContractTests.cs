using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

/// <summary>The policy file read and written through its System.Text.Json contract: the format stays what it was.</summary>
public sealed class PolicyFileContractTests
{
    [Fact]
    public void RepoPolicyFile_WritesBackByteForByte()
    {
        var text = File.ReadAllText(RepoPaths.File("policies/aio.json"));

        Assert.Equal(text, PolicyFile.Parse(text).ToJson() + "\n");
    }

    [Fact]
    public void HandWrittenForms_AreRead()
    {
        var file = PolicyFile.Parse("""
            // comments and trailing commas, as people write them
            { "comment": ["free", "text"], "tau": "Infinity", "seed": 4.0,
              "pld": { "kind": "pld", "max_ngram": 3 },
              "categories": { "qa": { "strategy": { "look_ahead": 3, "kind": "pld" }, "model": "large" } }, }
            """);

        Assert.True(double.IsPositiveInfinity(file.Options.Tau));
        Assert.Equal(4, file.Options.Seed);
        Assert.Equal(new Engine.Generation.PromptLookupDecoding(3, 2), file.Options.Pld);
        Assert.Equal(new Engine.Generation.PromptLookupDecoding(6, 3), file.Options.Categories["qa"].Strategy);
    }

    [Theory]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "max_ngram": 2 } } } }""",
        "policy.json: categories.code.strategy.kind: missing (plain|pld|draft)")]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": "beam" } } }""",
        "policy.json: categories.code.strategy.kind: unknown strategy 'beam' (plain|pld|draft)")]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "kind": 3 } } } }""",
        "policy.json: categories.code.strategy.kind: expected a string, got number 3")]
    [InlineData("""{ "categories": { "code": { "model": "small", "nope": 1 } } }""",
        "policy.json: categories.code.nope: unknown field (expected one of model, context_limit, strategy, fallback_strategy)")]
    [InlineData("""{ "fallback": { "model": "large", "strateg": null } }""",
        "policy.json: fallback.strateg: unknown field (expected one of model, strategy)")]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "kind": "pld", "max_ngram": "x" } } } }""",
        "policy.json: categories.code.strategy.max_ngram: expected an integer, got string \"x\"")]
    [InlineData("""{ "seed": true }""", "policy.json: seed: expected an integer, got true")]
    [InlineData("""{ "calibration": 3 }""", "policy.json: calibration: expected an object, got number 3")]
    [InlineData("""{ "pld": { "kind": "plain" } }""", "policy.json: pld.kind: the pld section is a pld strategy, got 'plain'")]
    [InlineData("""[1]""", "policy.json: expected an object, got an array")]
    public void ContractErrors_NameTheFieldAndWhatItTakes(string json, string expected)
    {
        var e = Assert.Throws<RoutingException>(() => PolicyFile.Parse(json));
        Assert.Equal(expected, e.Message);
    }
}
