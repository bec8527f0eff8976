using System.Text;
using AscendAio.Engine.Templates;

namespace AscendAio.Engine.Prompts;

/// <summary>
/// A request as a model is asked it: a completion text, or a chat (messages with roles). A bundle turns it into prompt
/// tokens (<see cref="Models.ModelBundle.EncodePrompt"/>): a chat through the model's chat template when it has one,
/// everything else through its generation template with <see cref="Text"/> as the request.
/// </summary>
public sealed record RequestPrompt
{
    private RequestPrompt(string text, IReadOnlyList<ChatMessage>? messages)
    {
        Text = text;
        Messages = messages;
    }

    /// <summary>
    /// The request's text: the completion prompt, or a chat's message contents in order, blank-line separated
    /// (what a bundle without a chat template is asked, and what a special-token probe classifies).
    /// </summary>
    public string Text { get; }

    /// <summary>The chat's messages; null for a completion.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; }

    public bool IsChat => Messages is not null;

    public static RequestPrompt Completion(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new RequestPrompt(text, null);
    }

    /// <exception cref="ArgumentException">No messages, or a message without a role.</exception>
    public static RequestPrompt Chat(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            throw new ArgumentException("a chat needs at least one message", nameof(messages));
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            if (string.IsNullOrEmpty(message.Role))
                throw new ArgumentException("every chat message needs a role", nameof(messages));
            if (string.IsNullOrEmpty(message.Content))
                continue;
            if (text.Length > 0)
                text.Append("\n\n");
            text.Append(message.Content);
        }
        return new RequestPrompt(text.ToString(), messages.ToArray());
    }

    /// <summary>One user turn, optionally after a system message: how task suites ask a chat model.</summary>
    public static RequestPrompt User(string text, string? system = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Chat(system is null ? [new ChatMessage("user", text)] : [new ChatMessage("system", system), new ChatMessage("user", text)]);
    }
}
