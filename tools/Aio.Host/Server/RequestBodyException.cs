namespace AscendAio.Host.Server;

/// <summary>
/// The request body could not be read as sent: over the size limit (413), too slow (408), or cut off / the client gone
/// (<see cref="Aborted"/>, answered 400 if anyone is still listening). Always the client's or the transport's fault.
/// </summary>
internal sealed class RequestBodyException(int status, string message, string code, bool aborted) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public bool Aborted { get; } = aborted;
}
