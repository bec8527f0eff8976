using System.Runtime.CompilerServices;
using AscendAio.Engine.Generation;
using AscendAio.Router;
using AscendAio.Router.Policies;

namespace AscendAio.Host.Backends;

/// <summary>
/// The "aio" model over AscendAio.Router: the router runs the probe, its policy picks the model and strategy, and the
/// generation continues from the probe's KV cache when the small model serves. A request's strategy other than
/// auto/plain pins it (the router's rule: a plain strategy is the router's to choose); sampling decodes plain.
/// Decisions are reported under <paramref name="names"/> (null = the bundles' own model names).
/// </summary>
public sealed class RouterCompletions(AioRouter router, ModelNames? names = null) : IRequestRouter
{
    public AioRouter Router { get; } = router;

    public ModelNames Names { get; } = names ?? ModelNames.FromBundles(router.Models);

    public async Task<CompletionRun> StartAsync(PreparedCompletion prepared, GenerationOptions options, CancellationToken cancellation)
    {
        var pinned = prepared.Request.Strategy switch
        {
            StrategyChoice.Pld => new PromptLookupDecoding(),
            StrategyChoice.Draft => new DraftSpeculativeDecoding(),
            _ => DecodingStrategy.Plain,
        };
        var updates = Router.StreamAsync(prepared.Request.ToPrompt(), options with { Strategy = pinned }, trueCategory: null, cancellation);
        var enumerator = updates.GetAsyncEnumerator(cancellation);
        try
        {
            // The first update is the decision (the probe ran off this thread); no tokens yet.
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                throw new InvalidOperationException("the router ended the stream before deciding the route");
            var decision = enumerator.Current.Decision;
            return new CompletionRun(Describe(decision, Names), Rest(enumerator, cancellation), Router.Models.Require(decision.Model).Tokenizer, enumerator);
        }
        catch
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The router's decision in the host's terms: model name, role, strategy, the probe's category and entropy.</summary>
    public static RouteInfo Describe(RouteDecision decision, ModelNames names) => new(
        names.Of(decision.Model),
        decision.Model.RoleName(),
        decision.Strategy.Name,
        decision.Category,
        double.IsNaN(decision.Entropy) ? null : decision.Entropy,
        decision.Reason,
        decision.Timings.TotalMs);

    private static async IAsyncEnumerable<GenerationUpdate> Rest(IAsyncEnumerator<RoutedUpdate> enumerator, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        try
        {
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                var u = enumerator.Current;
                yield return new GenerationUpdate(u.Tokens, u.TextDelta, u.Finish, u.Metrics, u.Logprobs);
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
