namespace AscendAio.Host.Backends;

/// <summary>
/// A request the host will not run as asked (unknown model, parameter out of range, prompt over the limit). The
/// server answers 400 with OpenAI's error shape, 404 for a model it does not serve (code model_not_found, as OpenAI
/// does): <see cref="Param"/> names the offending field.
/// </summary>
public sealed class CompletionRequestException(string message, string? param = null, string code = "invalid_value")
    : Exception(message)
{
    public const string ModelNotFound = "model_not_found";

    /// <summary>The HTTP status the server answers with.</summary>
    public int Status => Code == ModelNotFound ? 404 : 400;

    public string? Param { get; } = param;

    public string Code { get; } = code;
}
