using System.Text.Json.Serialization;

namespace AscendAio.Host.OpenAi;

// Response bodies in OpenAI's shapes, plus the `aio` field with the route decision and timings.

public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record CompletionChoice(string Text, int Index, CompletionLogprobs? Logprobs, string? FinishReason);

/// <summary>A text completion, or (object "text_completion" too) one streamed chunk of it.</summary>
public sealed record CompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<CompletionChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Usage? Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AioInfo? Aio);

public sealed record ChatMessage(string Role, string Content);

public sealed record ChatChoice(int Index, ChatMessage Message, ChatLogprobs? Logprobs, string? FinishReason);

public sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<ChatChoice> Choices, Usage Usage, AioInfo Aio);

public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, ChatLogprobs? Logprobs, string? FinishReason);

public sealed record ChatCompletionChunk(string Id, string Object, long Created, string Model, IReadOnlyList<ChatChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Usage? Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AioInfo? Aio);

/// <summary>A chat choice's log probabilities: one entry per generated token (OpenAI's ChatCompletionTokenLogprob).</summary>
public sealed record ChatLogprobs(IReadOnlyList<ChatTokenLogprob> Content);

/// <summary>A token: its text, log probability, UTF-8 bytes (a token may hold part of a character) and the most likely tokens.</summary>
public sealed record ChatTokenLogprob(string Token, double Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<ChatTopLogprob> TopLogprobs);

public sealed record ChatTopLogprob(string Token, double Logprob, IReadOnlyList<int> Bytes);

/// <summary>
/// A completion choice's log probabilities (the legacy completions shape): per token its text, log probability, the
/// most likely tokens by text, and its offset in characters (UTF-16 code units) from the start of the prompt.
/// </summary>
public sealed record CompletionLogprobs(IReadOnlyList<string> Tokens, IReadOnlyList<double> TokenLogprobs,
    IReadOnlyList<IReadOnlyDictionary<string, double>> TopLogprobs, IReadOnlyList<int> TextOffset);

/// <summary>The route decision and what the request cost; in every response body (the last chunk when streaming).</summary>
public sealed record AioInfo(
    string Model, string Role, string Strategy, string? Category, double? Entropy, string Reason,
    AioTimings Timings, double TokensPerSecond, double DecodeTokensPerSecond, int ForwardPasses,
    int DraftTokensProposed, int DraftTokensAccepted);

public sealed record AioTimings(double QueueMs, double ProbeMs, double PrefillMs, double DecodeMs, double TotalMs);

public sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

public sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

/// <summary>OpenAI's error shape: {"error": {"message", "type", "param", "code"}}.</summary>
public sealed record ErrorResponse(ErrorDetail Error);

public sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);
