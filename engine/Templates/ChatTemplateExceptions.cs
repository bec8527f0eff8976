namespace AscendAio.Engine.Templates;

/// <summary>Base of every error the chat-template renderer raises.</summary>
public abstract class ChatTemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The template cannot be used: a syntax error, or a construct this renderer does not support.
/// Thrown by <see cref="ChatTemplate.Parse"/>, i.e. when a bundle loads, never at request time.
/// </summary>
public sealed class ChatTemplateParseException(string message, int line, string? construct = null)
    : ChatTemplateException(construct is null ? $"line {line}: {message}" : $"line {line}: unsupported {construct}: {message}")
{
    /// <summary>1-based line in the template source.</summary>
    public int Line { get; } = line;

    /// <summary>The unsupported construct (e.g. "statement 'include'", "filter 'wordwrap'"), or null for a syntax error.</summary>
    public string? Construct { get; } = construct;
}

/// <summary>
/// Rendering failed because of the request's data (e.g. a null content where the template concatenates strings).
/// A host maps it to a client error (HTTP 400).
/// </summary>
public class ChatTemplateRenderException(string message, int line)
    : ChatTemplateException($"line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>The template called <c>raise_exception(msg)</c>: the messages break the model's rules (e.g. roles must alternate).</summary>
public sealed class ChatTemplateRaisedException(string templateMessage, int line)
    : ChatTemplateRenderException(templateMessage, line)
{
    /// <summary>The message the template passed to raise_exception, verbatim.</summary>
    public string TemplateMessage { get; } = templateMessage;
}
