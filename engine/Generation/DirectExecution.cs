using System.Runtime.CompilerServices;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Every request steps its own <see cref="GenerationSession"/> on the thread pool, one graph call at a time behind its
/// model's gate (batch 1). What benchmarks of a single stream and tools without a server use.
/// </summary>
public sealed class DirectExecution : IGenerationExecution
{
    public static readonly DirectExecution Instance = new();

    private DirectExecution()
    {
    }

    public IAsyncEnumerable<GenerationUpdate> StreamAsync(LanguageModel model, int[] prompt, GenerationOptions options,
        LanguageModel? drafter = null, Sequence? prefix = null, CancellationToken cancellation = default) =>
        StartOffThread(Generator.StreamAsync(model, prompt, options, drafter, prefix, cancellation), cancellation);

    public Task<T> RunAsync<T>(LanguageModel model, Func<T> work, CancellationToken cancellation = default) => Task.Run(work, cancellation);

    /// <summary>
    /// The generator's stream prefills inside its first step, synchronously; that first step runs on the thread pool so
    /// the caller's thread never blocks on the device. Later steps already run through Task.Run inside the generator.
    /// </summary>
    private static async IAsyncEnumerable<T> StartOffThread<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var enumerator = source.GetAsyncEnumerator(cancellation);
        try
        {
            // No token on Task.Run: the first step always starts, so the generator owns (and frees) a prefix even when
            // the caller cancelled before it; the generator sees the cancellation itself.
            if (!await Task.Run(() => enumerator.MoveNextAsync().AsTask(), CancellationToken.None).ConfigureAwait(false))
                yield break;
            yield return enumerator.Current;
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
                yield return enumerator.Current;
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
