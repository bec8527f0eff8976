using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

[Collection(TinyPairCollection.Name)]
public sealed class AioRouterTests(TinyPair pair)
{
    private const string Request = "def add(a, b):\n    return a + b";

    /// <summary>A-IO's rules with every category on the small model and no entropy gate: tiny random models route small.</summary>
    private static IRoutingPolicy AllSmall(int contextLimit = 60) => RoutingPolicies.Create("aio-no-entropy", new PolicyOptions
    {
        ContextLimit = contextLimit,
        Categories = new Dictionary<string, CategoryRule>
        {
            ["code"] = new(ModelRole.Small, DecodingStrategy.Plain),
            ["qa"] = new(ModelRole.Small, DecodingStrategy.Plain),
            ["math"] = new(ModelRole.Small, DecodingStrategy.Plain),
        },
    });

    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 12 };

    [Fact]
    public void RoutedToSmall_ContinuesFromTheProbeCache_WithTheSameTokens()
    {
        using var router = new AioRouter(pair.Models, AllSmall());
        using var noReuse = new AioRouter(pair.Models, AllSmall(), new RouterOptions { ReuseProbePrefix = false });
        const string request = "Question: who wrote the book? Answer: the author wrote the book in the year 1999.";
        var requestTokens = pair.Small.Tokenizer.Encode(request).Length;
        Assert.InRange(requestTokens, 2 * TinyPair.Chunk + 1, TinyPair.SmallContext - 2 - Greedy.MaxNewTokens); // several prefill chunks, and room to generate

        var before = pair.Small.ForwardPasses;
        var reused = router.Generate(request, Greedy);
        var withReuse = pair.Small.ForwardPasses - before;
        before = pair.Small.ForwardPasses;
        var fresh = noReuse.Generate(request, Greedy);
        var withoutReuse = pair.Small.ForwardPasses - before;
        var direct = Generator.Generate(pair.Small, pair.Small.Tokenizer.Encode("<|bos|>" + request + "<|answer|>"), Greedy);

        Assert.Equal(ModelRole.Small, reused.Decision.Model);
        Assert.Equal(1 + requestTokens, reused.ReusedPrefixTokens);
        Assert.Equal(0, fresh.ReusedPrefixTokens);
        Assert.Equal(direct.Tokens, reused.Result.Tokens);
        Assert.Equal(direct.Tokens, fresh.Result.Tokens);
        // Reuse prefills only <|answer|> (one pass) instead of the request's chunks again.
        Assert.True(withReuse < withoutReuse, $"{withReuse} passes with reuse, {withoutReuse} without");
        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public void RoutedToLarge_ReleasesTheProbeCache()
    {
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("aio-no-model-routing"));

        var result = router.Generate(Request, Greedy);

        Assert.Equal(ModelRole.Large, result.Decision.Model);
        Assert.Equal(0, result.ReusedPrefixTokens);
        Assert.NotNull(result.Decision.Category);
        Assert.True(result.Timings.ProbePrefillMs > 0);
        Assert.Equal(0, pair.Small.Caches.InUse);
        Assert.Equal(0, pair.Large.Caches.InUse);
    }

    [Fact]
    public void StaticPolicy_RunsNoProbe()
    {
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("static-large"));

        var result = router.Generate(Request, Greedy);

        Assert.Null(router.Probe);
        Assert.Equal(ModelRole.Large, result.Decision.Model);
        Assert.Equal(0, result.Timings.ProbePrefillMs);
        Assert.True(double.IsNaN(result.Decision.Entropy));
    }

    [Fact]
    public void Route_OverTheContextLimit_GoesLargeAndHandsNoCache()
    {
        using var router = new AioRouter(pair.Models, AllSmall(contextLimit: 5));

        using var routed = router.Route(Request);

        Assert.Equal(ModelRole.Large, routed.Decision.Model);
        Assert.Contains("> 5", routed.Decision.Reason);
        Assert.Null(routed.ReusablePrefix);
        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public void NoLongProbe_OverTheLimit_SkipsTheProbe_AndProbesShortRequests()
    {
        var options = PolicyOptions.Default with { ContextLimit = 5, Tau = double.PositiveInfinity };
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create(RoutingPolicies.AioNoLongProbe, options));

        var result = router.Generate(Request, Greedy);

        Assert.Equal(ModelRole.Large, result.Decision.Model);
        Assert.Equal(0, result.Timings.ProbePrefillMs);
        Assert.Contains("no probe", result.Decision.Reason);
        using var withProbe = new AioRouter(pair.Models, RoutingPolicies.Create(RoutingPolicies.Aio, options));
        var probed = withProbe.Generate(Request, Greedy);
        Assert.True(probed.Timings.ProbePrefillMs > 0);
    }

    [Fact]
    public void Route_PromptBeyondTheSmallModelsContext_MovesToLargeAndSaysWhy()
    {
        var longRequest = string.Concat(Enumerable.Repeat("the old river ", 30));
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("static-small"));

        using var routed = router.Route(longRequest);

        Assert.True(routed.PromptTokens.Length > TinyPair.SmallContext);
        Assert.Equal(ModelRole.Large, routed.Decision.Model);
        Assert.Contains("exceeds the small model's context", routed.Decision.Reason);
        Assert.True(routed.Decision.MovedToLargeForContext);
        using var fits = router.Route(Request);
        Assert.Equal(ModelRole.Small, fits.Decision.Model);
        Assert.False(fits.Decision.MovedToLargeForContext);
    }

    [Fact]
    public void Route_WithoutTheGuard_LetsTheEngineRefuseTheOverlongPrompt()
    {
        var longRequest = string.Concat(Enumerable.Repeat("the old river ", 30));
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("static-small"), new RouterOptions { LargeWhenPromptDoesNotFit = false });

        Assert.Throws<ContextOverflowException>(() => router.Generate(longRequest, Greedy));
        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public void QuantBaseline_WithoutTheQuantModel_FailsAtConstruction()
    {
        var e = Assert.Throws<RoutingException>(() => new AioRouter(pair.Models, RoutingPolicies.Create("small-quant")));
        Assert.Contains("the small-quant model, which is not loaded", e.Message);
    }

    [Fact]
    public void DecisionStrategy_ReplacesPlainOptions_AndACallerPinOverridesIt()
    {
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("large-pld"));

        var routedPld = router.Generate(Request, Greedy);
        var pinned = router.Generate(Request, Greedy with { Strategy = new PromptLookupDecoding(3, 1) });
        var sampled = router.Generate(Request, Greedy with { Temperature = 0.8, Seed = 1 });

        Assert.Equal(PolicyOptions.DefaultPld, routedPld.Decision.Strategy);
        Assert.Equal(new PromptLookupDecoding(3, 1), pinned.Decision.Strategy);
        Assert.Contains("pinned by caller", pinned.Decision.Reason);
        Assert.IsType<PlainDecoding>(sampled.Decision.Strategy);
        Assert.Contains("sampling", sampled.Decision.Reason);
    }

    [Fact]
    public async Task Logprobs_TurnAPolicysPld_IntoPlain_SayingWhy_AndStreamAnEntryPerToken()
    {
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("large-pld"));
        var options = Greedy with { Logprobs = 2 };

        RouteDecision? decision = null;
        var tokens = new List<int>();
        var entries = new List<TokenLogprob>();
        await foreach (var update in router.StreamAsync(Request, options))
        {
            decision ??= update.Decision;
            tokens.AddRange(update.Tokens);
            entries.AddRange(update.Logprobs ?? []);
        }

        Assert.IsType<PlainDecoding>(decision!.Strategy);
        Assert.Contains("log probabilities", decision.Reason);
        Assert.Equal(tokens, entries.Select(e => e.Token));
        Assert.All(entries, e => Assert.Equal(2, e.Top.Count));
        Assert.Equal(router.Generate(Request, Greedy).Result.Tokens, tokens);   // the same greedy tokens as PLD gives
    }

    [Fact]
    public void DraftSpec_DraftsWithTheSmallModel()
    {
        using var router = new AioRouter(pair.Models, RoutingPolicies.Create("draft-spec"));

        var result = router.Generate(Request, Greedy);
        var plain = Generator.Generate(pair.Large, pair.Large.Tokenizer.Encode("<|bos|>" + Request + "<|answer|>"), Greedy);

        Assert.IsType<DraftSpeculativeDecoding>(result.Decision.Strategy);
        Assert.True(result.Result.Metrics.DraftForwardPasses > 0);
        Assert.Equal(plain.Tokens, result.Result.Tokens);
    }

    [Fact]
    public async Task Stream_GivesTheDecisionBeforeTheFirstToken_AndTheSameTokens()
    {
        using var router = new AioRouter(pair.Models, AllSmall());
        var whole = router.Generate(Request, Greedy);

        var updates = new List<RoutedUpdate>();
        await foreach (var u in router.StreamAsync(Request, Greedy))
            updates.Add(u);

        Assert.Empty(updates[0].Tokens);
        Assert.Equal(ModelRole.Small, updates[0].Decision.Model);
        Assert.Equal(whole.Result.Tokens, updates.SelectMany(u => u.Tokens).ToArray());
        Assert.NotNull(updates[^1].Finish);
        Assert.NotNull(updates[^1].Timings);
        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public async Task Stream_Cancelled_FreesTheCaches()
    {
        using var router = new AioRouter(pair.Models, AllSmall());
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in router.StreamAsync(Request, Greedy with { MaxNewTokens = 40 }, cancellation: cts.Token))
            {
                if (u.Tokens.Length > 0)
                    cts.Cancel();
            }
        });
        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public void RoutedRequest_NotGenerated_ReleasesTheProbeCacheOnDispose()
    {
        using var router = new AioRouter(pair.Models, AllSmall());

        var routed = router.Route(Request);
        Assert.NotNull(routed.ReusablePrefix);
        Assert.Equal(1, pair.Small.Caches.InUse);
        routed.Dispose();

        Assert.Equal(0, pair.Small.Caches.InUse);
    }

    [Fact]
    public void Timings_CoverEveryOverheadPart()
    {
        using var router = new AioRouter(pair.Models, AllSmall());

        var t = router.Generate(Request, Greedy).Timings;

        Assert.True(t.TemplateMs > 0);
        Assert.True(t.ProbePrefillMs > 0);
        Assert.True(t.DecisionMs > 0);
        Assert.True(t.ModelSwitchMs > 0);
        Assert.Equal(t.TemplateMs + t.ProbePrefillMs + t.DecisionMs + t.ModelSwitchMs, t.OverheadMs, 9);
    }

    [Fact]
    public void RandomPolicy_ThroughTheRouter_IsReproducibleByRouterSeed()
    {
        ModelRole[] Routes(int seed)
        {
            using var router = new AioRouter(pair.Models, RoutingPolicies.Create("random", new PolicyOptions { RandomSmallShare = 0.5 }), new RouterOptions { Seed = seed });
            return Enumerable.Range(0, 30).Select(_ =>
            {
                using var r = router.Route("hi");
                return r.Decision.Model;
            }).ToArray();
        }

        Assert.Equal(Routes(4), Routes(4));
        Assert.NotEqual(Routes(4), Routes(5));
    }
}
