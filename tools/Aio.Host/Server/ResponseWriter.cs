using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.OpenAi;
using Microsoft.AspNetCore.Http;

namespace AscendAio.Host.Server;

/// <summary>Answers one started run in OpenAI's shapes: a whole body, or server-sent event chunks ending with [DONE].</summary>
/// <param name="includeUsage">stream_options.include_usage: the usage goes in its own last chunk with no choices (OpenAI's API reference, ChatCompletionStreamOptions).</param>
/// <param name="logprobs">The request asked for log probabilities: each choice (and chunk) carries them; null: none.</param>
internal sealed class ResponseWriter(HttpContext context, CompletionEndpoint.Kind kind, string model, RouteInfo route, TimeSpan queueTime, long admitted,
    bool includeUsage = false, ResponseLogprobs? logprobs = null)
{
    private readonly string _id = (kind == CompletionEndpoint.Kind.Chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Collects the whole generation, then writes one JSON body.</summary>
    public async Task<(FinishReason Finish, GenerationMetrics Metrics)> WriteAllAsync(IAsyncEnumerable<GenerationUpdate> updates, CancellationToken cancellation)
    {
        var text = new StringBuilder();
        GenerationUpdate? last = null;
        await foreach (var update in updates.WithCancellation(cancellation))
        {
            text.Append(update.TextDelta);
            logprobs?.Add(update.Logprobs);
            last = update;
        }
        var (finish, metrics) = Final(last);
        var usage = Usage(metrics);
        var aio = Aio(metrics);
        object body = kind == CompletionEndpoint.Kind.Chat
            ? new ChatCompletionResponse(_id, "chat.completion", _created, model, [new ChatChoice(0, new ChatMessage("assistant", text.ToString()), logprobs?.TakeChat(), FinishName(finish))], usage, aio)
            : new CompletionResponse(_id, "text_completion", _created, model, [new CompletionChoice(text.ToString(), 0, logprobs?.TakeCompletion(), FinishName(finish))], usage, aio);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, body.GetType(), OpenAiJson.Options), cancellation);
        return (finish, metrics);
    }

    /// <summary>
    /// Streams a chunk per update; the last chunk carries finish_reason, usage and the aio field; then [DONE]. The
    /// response starts only once the first update (prefill and first token) is in, so a failing prefill is still a 500.
    /// </summary>
    public async Task<(FinishReason Finish, GenerationMetrics Metrics)> StreamAsync(IAsyncEnumerable<GenerationUpdate> updates, CancellationToken cancellation)
    {
        await using var enumerator = updates.GetAsyncEnumerator(cancellation);
        var more = await enumerator.MoveNextAsync();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.StartAsync(cancellation);
        if (kind == CompletionEndpoint.Kind.Chat)
            await SendAsync(new ChatCompletionChunk(_id, "chat.completion.chunk", _created, model, [new ChatChunkChoice(0, new ChatDelta("assistant", ""), null, null)], null, null), cancellation);

        GenerationUpdate? last = null;
        for (; more; more = await enumerator.MoveNextAsync())
        {
            last = enumerator.Current;
            logprobs?.Add(last.Logprobs);
            if (last.TextDelta.Length > 0)
                await SendAsync(Chunk(last.TextDelta, null, null, null), cancellation);
        }
        var (finish, metrics) = Final(last);
        await SendAsync(Chunk(kind == CompletionEndpoint.Kind.Chat ? null : "", FinishName(finish), includeUsage ? null : Usage(metrics), Aio(metrics)), cancellation);
        // As OpenAI: with include_usage, "an additional chunk will be streamed before the data: [DONE] message. The usage
        // field on this chunk shows the token usage statistics for the entire request, and the choices field will
        // always be an empty array" (API reference, ChatCompletionStreamOptions). Without it the finish chunk carries the usage, as before.
        if (includeUsage)
        {
            await SendAsync(kind == CompletionEndpoint.Kind.Chat
                ? new ChatCompletionChunk(_id, "chat.completion.chunk", _created, model, [], Usage(metrics), null)
                : new CompletionResponse(_id, "text_completion", _created, model, [], Usage(metrics), null), cancellation);
        }
        await context.Response.WriteAsync("data: [DONE]\n\n", cancellation);
        await context.Response.Body.FlushAsync(cancellation);
        return (finish, metrics);
    }

    private object Chunk(string? text, string? finish, Usage? usage, AioInfo? aio) => kind == CompletionEndpoint.Kind.Chat
        ? new ChatCompletionChunk(_id, "chat.completion.chunk", _created, model, [new ChatChunkChoice(0, new ChatDelta(null, text), logprobs?.TakeChat(), finish)], usage, aio)
        : new CompletionResponse(_id, "text_completion", _created, model, [new CompletionChoice(text ?? "", 0, logprobs?.TakeCompletion(), finish)], usage, aio);

    private async Task SendAsync(object chunk, CancellationToken cancellation)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, chunk.GetType(), OpenAiJson.Options) + "\n\n", cancellation);
        await context.Response.Body.FlushAsync(cancellation);
    }

    private static (FinishReason, GenerationMetrics) Final(GenerationUpdate? last) =>
        last is { Finish: { } finish, Metrics: { } metrics }
            ? (finish, metrics)
            : throw new InvalidOperationException("the generation ended without its final update");

    private static string FinishName(FinishReason finish) => FinishReasons.ToOpenAi(finish);

    private static Usage Usage(GenerationMetrics metrics) =>
        new(metrics.PromptTokens, metrics.GeneratedTokens, metrics.PromptTokens + metrics.GeneratedTokens);

    private AioInfo Aio(GenerationMetrics metrics) => new(
        route.Model, route.Role, route.Strategy, route.Category, route.Entropy, route.Reason,
        new AioTimings(Round(queueTime.TotalMilliseconds), Round(route.ProbeMs), Round(metrics.PrefillMs), Round(metrics.DecodeMs),
            Round(Stopwatch.GetElapsedTime(admitted).TotalMilliseconds)),
        Round(metrics.TokensPerSecond), Round(metrics.DecodeTokensPerSecond), metrics.ForwardPasses,
        metrics.DraftTokensProposed, metrics.DraftTokensAccepted);

    private static double Round(double value) => Math.Round(value, 3);
}
