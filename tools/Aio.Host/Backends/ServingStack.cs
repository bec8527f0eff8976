using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Host.Configuration;
using AscendAio.Router;
using AscendAio.Router.Policies;

namespace AscendAio.Host.Backends;

/// <summary>
/// Everything behind the endpoints, built from the configuration: the resident models, the router over them with
/// the configured policy (when both models are loaded), and the backend that serves "aio" and the models under their
/// configured names.
/// Used by `aio serve` and `aio generate`; disposal unloads in reverse order.
/// </summary>
public sealed class ServingStack : IDisposable
{
    private ServingStack(ResidentModels models, BatchedExecution? execution, AioRouter? router, EngineBackend backend)
    {
        Models = models;
        Execution = execution;
        Router = router;
        Backend = backend;
    }

    public ResidentModels Models { get; }

    /// <summary>The resident models' step schedulers: every generation and probe runs there, batched per model (null: unbatched).</summary>
    public BatchedExecution? Execution { get; }

    public AioRouter? Router { get; }

    public EngineBackend Backend { get; }

    /// <summary>Loads the selected models among the configured ones; the "aio" model exists only when both are loaded.</summary>
    /// <param name="batched">False: each request steps its own session on the thread pool (the engine before continuous batching; benchmarks compare against it).</param>
    public static ServingStack Load(AioOptions options, bool loadSmall = true, bool loadLarge = true, bool batched = true)
    {
        var policy = LoadPolicy(options.Policy); // checked before the device is touched
        var models = ResidentModels.Load(options, loadSmall, loadLarge);
        BatchedExecution? execution = null;
        try
        {
            // limits:concurrentSequences is each model's batch capacity (rows beyond its largest batch gear run in further calls).
            if (batched)
                execution = new BatchedExecution(new[] { models.Small, models.Large }.OfType<LanguageModel>(), options.Limits.ConcurrentSequences,
                    servedName: model => models.Names.Of(model == models.Small ? ModelRole.Small : ModelRole.Large));
            var router = models is { Small: { } small, Large: { } large }
                ? new AioRouter(new RouterModels { Small = small, Large = large }, policy, execution: execution)
                : null;
            return new ServingStack(models, execution, router,
                new EngineBackend(models.Small, models.Large, router is null ? null : new RouterCompletions(router, models.Names), models.Names, execution));
        }
        catch
        {
            execution?.Dispose();
            models.Dispose();
            throw;
        }
    }

    /// <summary>The policy file's policy, or the "aio" policy with its defaults when none is configured.</summary>
    public static IRoutingPolicy LoadPolicy(string? path) =>
        path is null ? RoutingPolicies.Create(RoutingPolicies.Aio) : PolicyFile.Load(path).Create();

    public void Dispose()
    {
        Execution?.Dispose();   // stops the schedulers first: nothing runs on the models after
        Router?.Dispose();
        Models.Dispose();
    }
}
