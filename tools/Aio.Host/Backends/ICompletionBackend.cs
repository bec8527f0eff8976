using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Tokenization;

namespace AscendAio.Host.Backends;

/// <summary>
/// What the HTTP host and `aio generate` need from the engine side: the served model ids, a cheap check of a
/// request, and a run that first decides the route and then streams the generation. The pinned models go
/// straight to the engine; the routed "aio" model goes through the router.
/// </summary>
public interface ICompletionBackend
{
    /// <summary>Model ids this backend serves: "aio" when routing, then the models' served names.</summary>
    IReadOnlyList<string> ModelIds { get; }

    /// <summary>Checks the model, strategy and context; tokenizes. Throws <see cref="CompletionRequestException"/>; no device work.</summary>
    PreparedCompletion Prepare(CompletionRequest request);

    /// <summary>
    /// Decides the route (a routed request runs the probe here, off the caller's thread) and returns the run,
    /// whose <see cref="CompletionRun.Updates"/> stream the generation. Cancelling frees the sequence's KV cache.
    /// </summary>
    Task<CompletionRun> StartAsync(PreparedCompletion prepared, CancellationToken cancellation);

    /// <summary>Device memory and the resident models' caches, for /health and /metrics.</summary>
    BackendStatus Status();
}

/// <summary>
/// A started request: its route, the generation updates (the last carries the finish reason and metrics) and the
/// generating model's tokenizer (what the updates' token ids, e.g. their log probabilities, are written with).
/// </summary>
public sealed class CompletionRun(RouteInfo route, IAsyncEnumerable<GenerationUpdate> updates, ITextTokenizer tokenizer, IAsyncDisposable? resources = null)
    : IAsyncDisposable
{
    public RouteInfo Route { get; } = route;

    public IAsyncEnumerable<GenerationUpdate> Updates { get; } = updates;

    public ITextTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>Releases what the route held for the generation (e.g. the probe's KV cache) if the updates were never read.</summary>
    public ValueTask DisposeAsync() => resources?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>Device memory and per-model memory, as the device reports it now.</summary>
public sealed record BackendStatus(DeviceMemoryInfo DeviceMemory, IReadOnlyList<ModelMemoryReport> Models);
