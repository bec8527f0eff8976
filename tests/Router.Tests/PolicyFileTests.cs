using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

public sealed class PolicyFileTests
{
    private const string Valid = """
        {
          "policy": "aio",
          "tau": 0.3,
          "context_limit": 400,
          "fallback": { "model": "large", "strategy": null },
          "categories": {
            "code": { "model": "small", "strategy": { "kind": "plain" }, "fallback_strategy": { "kind": "pld" } },
            "qa":   { "model": "large", "strategy": { "kind": "pld", "max_ngram": 4, "look_ahead": 3 } },
            "math": { "model": "large", "context_limit": 2048, "strategy": { "kind": "draft", "draft_tokens": 3 } }
          },
          "seed": 7,
          "random_small_share": 0.25
        }
        """;

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var file = PolicyFile.Parse(Valid);

        Assert.Equal("aio", file.Policy);
        Assert.Equal(0.3, file.Options.Tau);
        Assert.Equal(400, file.Options.ContextLimit);
        Assert.Equal(new CategoryRule(ModelRole.Small, DecodingStrategy.Plain, FallbackStrategy: PolicyOptions.DefaultPld), file.Options.Categories["code"]);
        Assert.Equal(new PromptLookupDecoding(4, 3), file.Options.Categories["qa"].Strategy);
        Assert.Equal(new CategoryRule(ModelRole.Large, new DraftSpeculativeDecoding(3), 2048), file.Options.Categories["math"]);
        Assert.Equal(7, file.Options.Seed);
        Assert.Equal(0.25, file.Options.RandomSmallShare);
        Assert.Equal("aio", file.Create().Name);
    }

    [Fact]
    public void SaveThenLoad_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aio-policy-{Guid.NewGuid():N}.json");
        try
        {
            var original = PolicyFile.Parse(Valid);
            original.Save(path);
            var loaded = PolicyFile.Load(path);

            Assert.Equal(original.Policy, loaded.Policy);
            Assert.Equal(original.Options.Tau, loaded.Options.Tau);
            Assert.Equal(original.Options.Categories.OrderBy(p => p.Key), loaded.Options.Categories.OrderBy(p => p.Key));
            Assert.Equal(original.ToJson(), loaded.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CalibrationRecord_IsKeptThroughSaveAndLoad()
    {
        var file = new PolicyFile("aio", PolicyOptions.Default with { Tau = double.PositiveInfinity })
        {
            Calibration = new System.Text.Json.Nodes.JsonObject { ["objective"] = "max tokens/s", ["tau"] = "inf", ["samples"] = 500 },
        };

        var back = PolicyFile.Parse(file.ToJson());

        Assert.True(double.IsPositiveInfinity(back.Options.Tau));
        Assert.Equal(500, (int)back.Calibration!["samples"]!);
        Assert.Equal(file.ToJson(), back.ToJson());
    }

    [Fact]
    public void DefaultOptions_RoundTripThroughJson()
    {
        var json = new PolicyFile("aio", PolicyOptions.Default).ToJson();
        var back = PolicyFile.Parse(json);

        Assert.Equal(PolicyOptions.Default.Tau, back.Options.Tau);
        Assert.Equal(PolicyOptions.Default.Categories.OrderBy(p => p.Key), back.Options.Categories.OrderBy(p => p.Key));
    }

    [Fact]
    public void RepoDefaultPolicy_LoadsAsThePapersRules()
    {
        var path = RepoPaths.File("policies/aio.json");

        var file = PolicyFile.Load(path);

        // The routing rules are the paper's; the per-category strategies are whatever `aio calibrate --strategies` measured best.
        Assert.Equal("aio", file.Policy);
        Assert.Equal(ModelRole.Small, file.Options.Categories["code"].Model);
        Assert.Equal(ModelRole.Large, file.Options.Categories["qa"].Model);
        Assert.Equal(ModelRole.Large, file.Options.Categories["math"].Model);
        Assert.All(new[] { "code", "qa", "math" }, c => Assert.True(
            file.Options.Categories[c].Strategy is PlainDecoding or PromptLookupDecoding, $"{c}: {file.Options.Categories[c].Strategy}"));
    }

    [Theory]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "kind": "foo" } } } }""",
        "policy.json: categories.code.strategy.kind: unknown strategy 'foo' (plain|pld|draft)")]
    [InlineData("""{ "categories": { "code": { "model": "small", "fallback_strategy": { "kind": "beam" } } } }""",
        "policy.json: categories.code.fallback_strategy.kind: unknown strategy 'beam' (plain|pld|draft)")]
    [InlineData("""{ "categories": { "qa": { "model": "ref-medium" } } }""",
        "policy.json: categories.qa.model: unknown model role 'ref-medium' (small|large|small-quant|large-quant; a policy names roles")]
    [InlineData("""{ "tau": "low" }""", "policy.json: tau: expected a number, got string \"low\"")]
    [InlineData("""{ "tau": -0.1 }""", "policy.json: tau: must be a non-negative number")]
    [InlineData("""{ "context_limit": 1.5 }""", "policy.json: context_limit: expected an integer, got number 1.5")]
    [InlineData("""{ "taus": 0.4 }""", "policy.json: taus: unknown field")]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "kind": "pld", "max_ngram": 0 } } } }""",
        "policy.json: categories.code.strategy.max_ngram: must be in 1..32, got 0")]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "kind": "draft" } } } }""",
        "policy.json: categories.code.strategy.kind: draft speculation needs a large target model")]
    [InlineData("""{ "categories": { "code": { "strategy": { "kind": "plain" } } } }""", "policy.json: categories.code.model: missing")]
    [InlineData("""{ "categories": { "code": { "model": "small", "strategy": { "kind": "plain", "look_ahead": 2 } } } }""",
        "policy.json: categories.code.strategy.look_ahead: unknown field")]
    [InlineData("""{ "fallback": { "model": "small", "strategy": { "kind": "draft" } } }""",
        "policy.json: fallback.strategy.kind: draft speculation needs a large target model")]
    [InlineData("""{ "policy": "smart" }""", "policy.json: policy: unknown policy 'smart'")]
    [InlineData("""{ "categories": [] }""", "policy.json: categories: expected an object, got an array")]
    [InlineData("""{ "random_small_share": 2 }""", "policy.json: random_small_share: must be in [0, 1], got 2")]
    public void Malformed_GivesAnErrorNamingTheField(string json, string expectedStart)
    {
        var e = Assert.Throws<RoutingException>(() => PolicyFile.Parse(json));
        Assert.StartsWith(expectedStart, e.Message);
    }

    [Fact]
    public void InvalidJson_NamesTheFileAndLine()
    {
        var e = Assert.Throws<RoutingException>(() => PolicyFile.Parse("{\n  \"tau\": 0.4,\n  oops\n}", "mine.json"));
        Assert.StartsWith("mine.json: not valid JSON (line 3)", e.Message);
    }

    [Fact]
    public void Load_OfAMissingFile_SaysSo()
    {
        var e = Assert.Throws<RoutingException>(() => PolicyFile.Load("/nonexistent/aio.json"));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Load_NamesTheFileInFieldErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aio-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "categories": { "code": { "model": "small", "strategy": { "kind": "foo" } } } }""");
        try
        {
            var e = Assert.Throws<RoutingException>(() => PolicyFile.Load(path));
            Assert.StartsWith($"{Path.GetFileName(path)}: categories.code.strategy.kind: unknown strategy 'foo' (plain|pld|draft)", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StrategyShorthand_AcceptsAKindString()
    {
        var file = PolicyFile.Parse("""{ "categories": { "qa": { "model": "large", "strategy": "pld" } } }""");
        Assert.Equal(PolicyOptions.DefaultPld, file.Options.Categories["qa"].Strategy);
    }
}
