namespace AscendAio.Host.Backends;

/// <summary>
/// A request the host will not run as asked (unknown model, parameter out of range, prompt over the limit). The
/// server answers 400 with OpenAI's error shape: <see cref="Param"/> names the offending field.
/// </summary>
public sealed class CompletionRequestException(string message, string? param = null, string code = "invalid_value")
    : Exception(message)
{
    public string? Param { get; } = param;

    public string Code { get; } = code;
}
