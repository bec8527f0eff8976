using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Where the generations and the device work of resident models run: <see cref="DirectExecution"/> (each request steps
/// its own session, models shared behind their gates) or <see cref="BatchedExecution"/> (each model's
/// <see cref="StepScheduler"/>). Callers only await; neither blocks the caller's thread on the device.
/// </summary>
public interface IGenerationExecution
{
    /// <summary>
    /// Streams a generation on <paramref name="model"/> (the updates of <see cref="Generator.StreamAsync"/>).
    /// <paramref name="prefix"/>: a sequence of the model holding a strict prefix of the prompt (the probe's), owned from here on.
    /// </summary>
    IAsyncEnumerable<GenerationUpdate> StreamAsync(LanguageModel model, int[] prompt, GenerationOptions options,
        LanguageModel? drafter = null, Sequence? prefix = null, CancellationToken cancellation = default);

    /// <summary>Runs device work on <paramref name="model"/> (a probe) off the caller's thread.</summary>
    Task<T> RunAsync<T>(LanguageModel model, Func<T> work, CancellationToken cancellation = default);
}
