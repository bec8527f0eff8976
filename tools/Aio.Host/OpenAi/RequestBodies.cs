using System.Text.Json;

namespace AscendAio.Host.OpenAi;

// Request bodies as OpenAI clients send them (snake_case). Fields with several JSON shapes (prompt, stop, content)
// stay JsonElement and are checked by RequestReader; unknown fields are ignored, as OpenAI-compatible servers do.
// OpenAI fields this server does not implement (tools, response_format other than text, echo, best_of)
// are read as JsonElement only to be refused with a 400 naming them (RequestReader.RefuseUnsupported), never ignored.

/// <summary>POST /v1/completions.</summary>
public sealed class CompletionBody
{
    public string? Model { get; init; }
    public JsonElement Prompt { get; init; }
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public long? Seed { get; init; }
    public JsonElement Stop { get; init; }
    public bool? Stream { get; init; }
    public int? N { get; init; }

    /// <summary>AscendAio extension: auto | plain | pld | draft.</summary>
    public string? Strategy { get; init; }

    public StreamOptionsBody? StreamOptions { get; init; }

    /// <summary>0..5 alternatives (LogprobsParameters); null is off.</summary>
    public JsonElement Logprobs { get; init; }

    public double? PresencePenalty { get; init; }
    public double? FrequencyPenalty { get; init; }
    public Dictionary<string, double>? LogitBias { get; init; }

    // Refused when set (RequestReader.RefuseUnsupported).
    public JsonElement Echo { get; init; }
    public JsonElement Suffix { get; init; }
    public JsonElement BestOf { get; init; }
}

/// <summary>POST /v1/chat/completions.</summary>
public sealed class ChatCompletionBody
{
    public string? Model { get; init; }
    public List<ChatMessageBody?>? Messages { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public long? Seed { get; init; }
    public JsonElement Stop { get; init; }
    public bool? Stream { get; init; }
    public int? N { get; init; }
    public string? Strategy { get; init; }

    public StreamOptionsBody? StreamOptions { get; init; }

    // Refused when set (RequestReader.RefuseUnsupported).
    public JsonElement Tools { get; init; }
    public JsonElement ToolChoice { get; init; }
    public JsonElement Functions { get; init; }
    public JsonElement FunctionCall { get; init; }
    public JsonElement ResponseFormat { get; init; }

    public double? PresencePenalty { get; init; }
    public double? FrequencyPenalty { get; init; }
    public Dictionary<string, double>? LogitBias { get; init; }

    /// <summary>A boolean, and 0..20 alternatives (LogprobsParameters).</summary>
    public JsonElement Logprobs { get; init; }
    public JsonElement TopLogprobs { get; init; }
}

/// <summary>stream_options: include_usage adds a last chunk with the usage and no choices before [DONE].</summary>
public sealed class StreamOptionsBody
{
    public bool? IncludeUsage { get; init; }
}

public sealed class ChatMessageBody
{
    public string? Role { get; init; }

    /// <summary>A string, or an array of parts {"type": "text", "text": "..."}.</summary>
    public JsonElement Content { get; init; }
}
