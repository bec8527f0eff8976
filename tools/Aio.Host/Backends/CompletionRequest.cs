using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;

namespace AscendAio.Host.Backends;

/// <summary>How the request wants to decode; Auto lets the router (or the pinned model's default, plain) decide.</summary>
public enum StrategyChoice
{
    Auto,
    Plain,
    Pld,
    Draft,
}

/// <summary>
/// One completion as the host understands it, whatever endpoint it came from: the request text (the backend applies
/// the bundle's generation template), the model id and the sampling settings, already range-checked.
/// </summary>
public sealed record CompletionRequest
{
    /// <summary>"aio" (routed) or a served model name (pinned).</summary>
    public required string Model { get; init; }

    /// <summary>The request text: the completion prompt, or the chat's contents joined (what the probe classifies).</summary>
    public required string Prompt { get; init; }

    /// <summary>The chat's messages (/v1/chat/completions, `aio generate --chat`); null for a completion.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>The request as the engine takes it: a chat when it has messages, else a completion.</summary>
    public RequestPrompt ToPrompt() => Messages is { } messages ? RequestPrompt.Chat(messages) : RequestPrompt.Completion(Prompt);

    public int MaxTokens { get; init; } = 16;

    /// <summary>0 = greedy.</summary>
    public double Temperature { get; init; }

    public double TopP { get; init; } = 1;

    public int Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public StrategyChoice Strategy { get; init; } = StrategyChoice.Auto;

    /// <summary>
    /// Null: no log probabilities. Otherwise each generated token's log probability and this many most likely tokens
    /// at its position (chat: logprobs true with top_logprobs 0..20; completions: logprobs 0..5). Decodes plain.
    /// </summary>
    public int? Logprobs { get; init; }

    /// <summary>OpenAI's presence_penalty and frequency_penalty, [-2, 2]; logit_bias (token id → [-100, 100]). Decode plain.</summary>
    public double PresencePenalty { get; init; }

    public double FrequencyPenalty { get; init; }

    public IReadOnlyDictionary<int, double> LogitBias { get; init; } = new Dictionary<int, double>();

    /// <summary>
    /// The most prompt tokens (template included) this request may have: limits:maxPromptTokens for the server;
    /// int.MaxValue = only the model's context bounds it. Tokenizing stops once a prompt is over it.
    /// </summary>
    public int MaxPromptTokens { get; init; } = int.MaxValue;
}

/// <summary>
/// The request as a backend will run it: the templated prompt tokens and the target, checked before the request
/// waits for a sequence slot so that bad requests never queue.
/// </summary>
public sealed record PreparedCompletion(CompletionRequest Request, int[] PromptTokens)
{
    public int PromptTokenCount => PromptTokens.Length;
}
