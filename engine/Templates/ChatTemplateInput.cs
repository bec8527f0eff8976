namespace AscendAio.Engine.Templates;

/// <summary>One chat message. <paramref name="Extra"/> carries further fields templates read
/// (tool_calls, reasoning_content, name, ...): strings, numbers, bools, lists, dictionaries or System.Text.Json nodes.</summary>
public sealed record ChatMessage(string Role, string? Content, IReadOnlyDictionary<string, object?>? Extra = null);

/// <summary>What a chat template is rendered with.</summary>
public sealed record ChatTemplateInput(IReadOnlyList<ChatMessage> Messages)
{
    /// <summary>Append the header that starts the assistant's turn.</summary>
    public bool AddGenerationPrompt { get; init; }

    public string? BosToken { get; init; }

    public string? EosToken { get; init; }

    /// <summary>Tool definitions (a list of JSON-like objects); null renders as <c>none</c>.</summary>
    public object? Tools { get; init; }

    /// <summary>Template-specific variables, e.g. Qwen3's <c>enable_thinking</c>; they override the names above.</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>The clock behind <c>strftime_now</c> (local time of this provider); the system clock when null.</summary>
    public TimeProvider? Clock { get; init; }
}
