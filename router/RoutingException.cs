namespace AscendAio.Router;

/// <summary>The router's one exception: a bad policy (file, name, option) or a request the policy cannot route.</summary>
public sealed class RoutingException : Exception
{
    public RoutingException(string message) : base(message) { }

    public RoutingException(string message, Exception inner) : base(message, inner) { }
}
