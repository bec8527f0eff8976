using System.Text.Json;
using AscendAio.Engine.Prompts;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// Turns an OpenAI request body into a <see cref="CompletionRequest"/>, checking every field against OpenAI's ranges
/// and the configured limits. Each problem is a <see cref="CompletionRequestException"/> naming the field.
/// </summary>
public sealed class RequestReader(LimitOptions limits)
{
    /// <summary>OpenAI's default for /v1/completions.</summary>
    public const int DefaultCompletionTokens = 16;

    public const int MaxStopStrings = 4;

    public (CompletionRequest Request, bool Stream) Read(CompletionBody body)
    {
        UnsupportedParameters.Refuse(body);
        var prompt = body.Prompt.ValueKind switch
        {
            JsonValueKind.String => body.Prompt.GetString()!,
            JsonValueKind.Array when body.Prompt.GetArrayLength() == 1 && body.Prompt[0].ValueKind == JsonValueKind.String => body.Prompt[0].GetString()!,
            JsonValueKind.Array => throw new CompletionRequestException("'prompt' must be a string or an array of exactly one string (batched and token-id prompts are not supported)", "prompt"),
            JsonValueKind.Undefined or JsonValueKind.Null => throw new CompletionRequestException("you must provide a 'prompt'", "prompt", "missing_required_parameter"),
            _ => throw new CompletionRequestException("'prompt' must be a string", "prompt"),
        };
        var request = Common(body.Model, prompt, body.MaxTokens ?? DefaultCompletionTokens, "max_tokens", body.Temperature, body.TopP, body.Seed, StopStrings(body.Stop), body.N, body.Strategy)
            with { Logprobs = LogprobsParameters.Completion(body.Logprobs) };
        request = PenaltyParameters.Apply(request, body.PresencePenalty, body.FrequencyPenalty, body.LogitBias);
        return (request, body.Stream ?? false);
    }

    public (CompletionRequest Request, bool Stream) Read(ChatCompletionBody body)
    {
        UnsupportedParameters.Refuse(body);
        if (body.Messages is not { Count: > 0 } messages)
            throw new CompletionRequestException("'messages' must be a non-empty array", "messages", body.Messages is null ? "missing_required_parameter" : "invalid_value");
        var (maxTokens, maxParam) = body.MaxCompletionTokens is { } mct ? (mct, "max_completion_tokens") : (body.MaxTokens ?? limits.MaxNewTokens, "max_tokens");
        var request = Chat(body.Model, ChatMessages(messages), maxTokens, maxParam, body.Temperature, body.TopP, body.Seed, StopStrings(body.Stop), body.N, body.Strategy)
            with { Logprobs = LogprobsParameters.Chat(body.Logprobs, body.TopLogprobs) };
        request = PenaltyParameters.Apply(request, body.PresencePenalty, body.FrequencyPenalty, body.LogitBias);
        return (request, body.Stream ?? false);
    }

    /// <summary>
    /// A chat request from typed fields, with the checks and defaults of POST /v1/chat/completions (the in-process
    /// IChatClient uses it, so both surfaces map and refuse alike). <paramref name="maxTokens"/> null = limits:maxNewTokens.
    /// </summary>
    public CompletionRequest Chat(string? model, IReadOnlyList<Engine.Templates.ChatMessage> messages, int? maxTokens, string maxParam,
        double? temperature, double? topP, long? seed, IReadOnlyList<string> stop, int? n, string? strategy)
    {
        if (messages.Count == 0)
            throw new CompletionRequestException("'messages' must be a non-empty array", "messages");
        var chat = RequestPrompt.Chat(messages);
        return Common(model, chat.Text, maxTokens ?? limits.MaxNewTokens, maxParam, temperature, topP, seed, CheckStop(stop), n, strategy)
            with { Messages = chat.Messages };
    }

    /// <summary>
    /// The messages with their text: a string, or the concatenation of text parts; an assistant message may have no
    /// content (""). Any non-empty role passes here: the model's chat template (or, without one, the backend) checks it.
    /// </summary>
    public static IReadOnlyList<Engine.Templates.ChatMessage> ChatMessages(IReadOnlyList<ChatMessageBody?> messages)
    {
        var result = new Engine.Templates.ChatMessage[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new CompletionRequestException($"messages[{i}] must be an object", $"messages[{i}]");
            if (string.IsNullOrEmpty(message.Role))
                throw new CompletionRequestException($"messages[{i}].role must be a non-empty string (e.g. {string.Join(", ", EngineBackend.OpenAiRoles)})", $"messages[{i}].role");
            var content = message.Content.ValueKind switch
            {
                JsonValueKind.String => message.Content.GetString()!,
                JsonValueKind.Array => string.Concat(message.Content.EnumerateArray().Select((part, p) => TextPart(part, i, p))),
                JsonValueKind.Null or JsonValueKind.Undefined when message.Role == "assistant" => "",
                _ => throw new CompletionRequestException($"messages[{i}].content must be a string or an array of text parts", $"messages[{i}].content"),
            };
            result[i] = new Engine.Templates.ChatMessage(message.Role, content);
        }
        return result;
    }

    private static string TextPart(JsonElement part, int message, int index)
    {
        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
            type.ValueEquals("text") && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            return text.GetString()!;
        throw new CompletionRequestException($"messages[{message}].content[{index}] must be {{\"type\": \"text\", \"text\": \"...\"}} (only text parts are supported)", $"messages[{message}].content");
    }

    private CompletionRequest Common(string? model, string prompt, int maxTokens, string maxParam, double? temperature, double? topP, long? seed,
        IReadOnlyList<string> stop, int? n, string? strategy)
    {
        if (string.IsNullOrEmpty(model))
            throw new CompletionRequestException("you must provide a 'model' (GET /v1/models lists them)", "model", "missing_required_parameter");
        if (maxTokens < 1 || maxTokens > limits.MaxNewTokens)
            throw new CompletionRequestException($"'{maxParam}' must be in [1, {limits.MaxNewTokens}] (the server's limit), got {maxTokens}", maxParam);
        if (temperature is { } t && (!double.IsFinite(t) || t < 0 || t > 2))
            throw new CompletionRequestException($"'temperature' must be in [0, 2], got {t}", "temperature");
        if (topP is { } p && (!double.IsFinite(p) || p <= 0 || p > 1))
            throw new CompletionRequestException($"'top_p' must be in (0, 1], got {p}", "top_p");
        if (n is { } count && count != 1)
            throw new CompletionRequestException($"'n' must be 1 (one choice per request), got {count}", "n");
        return new CompletionRequest
        {
            Model = model,
            Prompt = prompt,
            MaxTokens = maxTokens,
            Temperature = temperature ?? 0,
            TopP = topP ?? 1,
            // OpenAI seeds are 64-bit; the engine's sampler takes 32 bits.
            Seed = seed is { } s ? (int)(s ^ (s >> 32)) : 0,
            Stop = stop,
            Strategy = Strategy(strategy),
            MaxPromptTokens = limits.MaxPromptTokens,
        };
    }

    /// <summary>stream_options.include_usage: a streamed answer ends with a chunk carrying the usage and no choices.</summary>
    public static bool IncludeUsage(StreamOptionsBody? options) => options?.IncludeUsage == true;

    private static IReadOnlyList<string> StopStrings(JsonElement stop)
    {
        string[] values = stop.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => stop.EnumerateArray().Select(s => s.GetString()!).ToArray(),
            _ => throw new CompletionRequestException("'stop' must be a string or an array of strings", "stop"),
        };
        return CheckStop(values);
    }

    private static IReadOnlyList<string> CheckStop(IReadOnlyList<string> values)
    {
        if (values.Count > MaxStopStrings)
            throw new CompletionRequestException($"'stop' takes at most {MaxStopStrings} strings, got {values.Count}", "stop");
        if (values.Any(string.IsNullOrEmpty))
            throw new CompletionRequestException("'stop' strings must not be empty", "stop");
        return values;
    }

    private static StrategyChoice Strategy(string? text) => text switch
    {
        null or "auto" => StrategyChoice.Auto,
        "plain" => StrategyChoice.Plain,
        "pld" => StrategyChoice.Pld,
        "draft" => StrategyChoice.Draft,
        _ => throw new CompletionRequestException($"'strategy' must be auto, plain, pld or draft; got '{text}'", "strategy"),
    };
}
