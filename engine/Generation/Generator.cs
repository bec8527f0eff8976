using System.Runtime.CompilerServices;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Text in, text out over a <see cref="GenerationSession"/>: encodes the prompt, runs the steps, decodes
/// the text incrementally and applies stop strings. Streams with <see cref="StreamAsync"/>; cancellation
/// between steps frees the sequence's KV cache at once.
/// </summary>
public static class Generator
{
    /// <summary>Generates for prompt text as-is (apply the bundle's template first if the model expects one).</summary>
    public static GenerationResult Generate(LanguageModel model, string prompt, GenerationOptions options,
        LanguageModel? drafter = null, CancellationToken cancellation = default) =>
        Generate(model, model.Tokenizer.Encode(prompt), options, drafter, null, cancellation);

    public static GenerationResult Generate(LanguageModel model, ReadOnlySpan<int> prompt, GenerationOptions options,
        LanguageModel? drafter = null, Sequence? reuse = null, CancellationToken cancellation = default)
    {
        using var session = GenerationSession.Start(model, prompt, options, drafter, reuse);
        var text = new TextAccumulator(model, options.StopStrings);
        while (session.Step())
        {
            if (cancellation.IsCancellationRequested)
            {
                session.Cancel();
                break;
            }
            if (text.Append(session.Generated, out _))
                return new GenerationResult(session.Generated.ToArray(), text.Text, FinishReason.Stop, session.Metrics);
        }
        text.Flush();
        return new GenerationResult(session.Generated.ToArray(), text.Text, session.Finish ?? FinishReason.Length, session.Metrics);
    }

    /// <summary>Streams updates as tokens are produced; the last update has the finish reason and metrics.</summary>
    public static async IAsyncEnumerable<GenerationUpdate> StreamAsync(LanguageModel model, int[] prompt, GenerationOptions options,
        LanguageModel? drafter = null, Sequence? reuse = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var session = GenerationSession.Start(model, prompt, options, drafter, reuse);
        var text = new TextAccumulator(model, options.StopStrings);
        while (true)
        {
            if (cancellation.IsCancellationRequested)
            {
                session.Cancel();
                cancellation.ThrowIfCancellationRequested();
            }
            // Device calls block; keep them off the caller's context so a server thread is not held between steps.
            var more = await Task.Run(session.Step, cancellation).ConfigureAwait(false);
            if (!more)
                break;
            var stopped = text.Append(session.Generated, out var delta);
            var logprobs = options.Logprobs is null ? null : session.NewLogprobs;
            if (stopped)
            {
                yield return new GenerationUpdate(session.NewTokens.ToArray(), delta, FinishReason.Stop, session.Metrics, logprobs);
                yield break;
            }
            if (session.Finish is { } finish)
            {
                yield return new GenerationUpdate(session.NewTokens.ToArray(), delta + text.Flush(), finish, session.Metrics, logprobs);
                yield break;
            }
            if (session.NewTokens.Length > 0 || delta.Length > 0)
                yield return new GenerationUpdate(session.NewTokens.ToArray(), delta, Logprobs: logprobs);
        }
        yield return new GenerationUpdate([], text.Flush(), session.Finish ?? FinishReason.Length, session.Metrics);
    }
}
