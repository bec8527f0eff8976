using System.Runtime.CompilerServices;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.OpenAi;
using Microsoft.Extensions.AI;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using EngineChatMessage = AscendAio.Engine.Templates.ChatMessage;

namespace AscendAio.Host.InProcess;

/// <summary>
/// A-IO as a Microsoft.Extensions.AI <see cref="IChatClient"/>, in process: the same backend, router and checks as
/// POST /v1/chat/completions, without HTTP. <see cref="ChatOptions.ModelId"/> picks the model ("aio" routes; a served
/// name pins), and the options map as the server maps the OpenAI fields the OpenAI adapter sends for them
/// (MaxOutputTokens → max_completion_tokens, Temperature, TopP, Seed, StopSequences, Instructions → a leading system message,
/// AdditionalProperties["strategy"] → the strategy extension). What the server refuses is refused here with the same
/// <see cref="CompletionRequestException"/> (tools, a response format other than text, non-text content); what the
/// adapter does not send or the server ignores (a tool mode without tools, penalties, top_k, reasoning) is ignored here too.
/// The route decision is on every response and on the last streamed update: AdditionalProperties[<see cref="RouteKey"/>].
/// Requests are not queued: the caller bounds its own concurrency.
/// </summary>
public sealed class AioChatClient : IChatClient
{
    /// <summary>The AdditionalProperties key of the <see cref="RouteInfo"/> (model, role, strategy, category, entropy, reason).</summary>
    public const string RouteKey = "aio.route";

    /// <summary>The ChatOptions.AdditionalProperties key of the decoding strategy (auto | plain | pld | draft).</summary>
    public const string StrategyKey = "strategy";

    private readonly ICompletionBackend _backend;
    private readonly RequestReader _reader;
    private readonly string _defaultModel;

    /// <param name="limits">The server's limits (max new tokens, max prompt tokens); default: <see cref="LimitOptions"/>' defaults.</param>
    /// <param name="defaultModel">The model when ChatOptions.ModelId is null: "aio" when the backend routes, else its first model.</param>
    public AioChatClient(ICompletionBackend backend, LimitOptions? limits = null, string? defaultModel = null)
    {
        _backend = backend;
        _reader = new RequestReader(limits ?? new LimitOptions());
        _defaultModel = defaultModel ?? backend.ModelIds[0];
        Metadata = new ChatClientMetadata("ascendaio", defaultModelId: _defaultModel);
    }

    public ChatClientMetadata Metadata { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Request(messages, options);
        var prepared = _backend.Prepare(request);
        await using var run = await _backend.StartAsync(prepared, cancellationToken).ConfigureAwait(false);
        var text = new System.Text.StringBuilder();
        GenerationUpdate? last = null;
        await foreach (var update in run.Updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.TextDelta);
            last = update;
        }
        var (finish, metrics) = Final(last);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()))
        {
            ResponseId = NewId(),
            ModelId = request.Model,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = Finish(finish),
            Usage = Usage(metrics),
            AdditionalProperties = new() { [RouteKey] = run.Route },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Request(messages, options);
        var prepared = _backend.Prepare(request);
        await using var run = await _backend.StartAsync(prepared, cancellationToken).ConfigureAwait(false);
        var id = NewId();
        var created = DateTimeOffset.UtcNow;
        GenerationUpdate? last = null;
        await foreach (var update in run.Updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            last = update;
            if (update.TextDelta.Length > 0)
                yield return new ChatResponseUpdate(ChatRole.Assistant, update.TextDelta) { ResponseId = id, MessageId = id, ModelId = request.Model, CreatedAt = created };
        }
        // As the server's stream with include_usage: a last update with the finish reason, the usage and the route.
        var (finish, metrics) = Final(last);
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(metrics))])
        {
            ResponseId = id,
            MessageId = id,
            ModelId = request.Model,
            CreatedAt = created,
            FinishReason = Finish(finish),
            AdditionalProperties = new() { [RouteKey] = run.Route },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType.IsInstanceOfType(_backend) ? _backend
        : null;

    public void Dispose()
    {
        // The backend belongs to whoever built it (ServingStack): nothing to release here.
    }

    /// <summary>The request the server would build from what the OpenAI adapter sends for these messages and options.</summary>
    private CompletionRequest Request(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 })
            throw new CompletionRequestException("'tools' is not supported: this server's models generate text only: function calling is not implemented (send the request without tools)", "tools", UnsupportedParameters.Code);
        if (options?.ResponseFormat is not (null or ChatResponseFormatText))
            throw new CompletionRequestException("'response_format' other than {\"type\": \"text\"} is not supported: JSON mode and structured outputs are not implemented", "response_format", UnsupportedParameters.Code);

        var list = new List<EngineChatMessage>();
        if (options?.Instructions is { Length: > 0 } instructions)
            list.Add(new EngineChatMessage("system", instructions));
        var index = 0;
        foreach (var message in messages)
        {
            if (message.Contents.FirstOrDefault(c => c is not TextContent) is { } other)
                throw new CompletionRequestException($"messages[{index}].content must be text (only text parts are supported), got {other.GetType().Name}", $"messages[{index}].content");
            list.Add(new EngineChatMessage(message.Role.Value, message.Text));
            index++;
        }
        var strategy = options?.AdditionalProperties?.TryGetValue(StrategyKey, out var s) == true ? s?.ToString() : null;
        var request = _reader.Chat(options?.ModelId ?? _defaultModel, list, options?.MaxOutputTokens, "max_completion_tokens",
            options?.Temperature, options?.TopP, options?.Seed, options?.StopSequences?.ToArray() ?? [], n: null, strategy);
        return PenaltyParameters.Apply(request, options?.PresencePenalty, options?.FrequencyPenalty, logitBias: null);
    }

    private static (FinishReason, GenerationMetrics) Final(GenerationUpdate? last) =>
        last is { Finish: { } finish, Metrics: { } metrics }
            ? (finish, metrics)
            : throw new InvalidOperationException("the generation ended without its final update");

    private static ChatFinishReason Finish(FinishReason finish) => FinishReasons.ToOpenAi(finish) switch
    {
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        var other => new ChatFinishReason(other),
    };

    private static UsageDetails Usage(GenerationMetrics metrics) => new()
    {
        InputTokenCount = metrics.PromptTokens,
        OutputTokenCount = metrics.GeneratedTokens,
        TotalTokenCount = metrics.PromptTokens + metrics.GeneratedTokens,
    };

    private static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N");
}
