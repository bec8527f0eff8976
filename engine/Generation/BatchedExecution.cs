using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Continuous batching for resident models: one <see cref="StepScheduler"/> per model, each taking up to
/// <c>capacity</c> requests at once. A probe queued with <see cref="RunAsync{T}"/> runs between the small model's steps.
/// Disposing stops the schedulers (their requests fail with <see cref="ObjectDisposedException"/>); the models stay loaded.
/// </summary>
public sealed class BatchedExecution : IGenerationExecution, IDisposable
{
    private readonly Dictionary<LanguageModel, StepScheduler> _schedulers = [];

    /// <param name="capacity">Requests generating at once per model.</param>
    /// <param name="prefillTokensPerStep">Prompt tokens prefilled per iteration (default: one prefill chunk of the model).</param>
    /// <param name="servedName">Each model's name in metrics (default: the bundle's).</param>
    public BatchedExecution(IEnumerable<LanguageModel> models, int capacity, int? prefillTokensPerStep = null, Func<LanguageModel, string>? servedName = null)
    {
        try
        {
            foreach (var model in models.Distinct())
                _schedulers[model] = new StepScheduler(model, capacity, prefillTokensPerStep, servedName?.Invoke(model));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyCollection<StepScheduler> Schedulers => _schedulers.Values;

    public IAsyncEnumerable<GenerationUpdate> StreamAsync(LanguageModel model, int[] prompt, GenerationOptions options,
        LanguageModel? drafter = null, Sequence? prefix = null, CancellationToken cancellation = default) =>
        For(model).StreamAsync(prompt, options, prefix, drafter, cancellation);

    public Task<T> RunAsync<T>(LanguageModel model, Func<T> work, CancellationToken cancellation = default) =>
        For(model).RunAsync(work, cancellation);

    private StepScheduler For(LanguageModel model) => _schedulers.TryGetValue(model, out var scheduler)
        ? scheduler
        : throw new ArgumentException($"model '{model.Name}' has no step scheduler here", nameof(model));

    public void Dispose()
    {
        foreach (var scheduler in _schedulers.Values)
            scheduler.Dispose();
        _schedulers.Clear();
    }
}
