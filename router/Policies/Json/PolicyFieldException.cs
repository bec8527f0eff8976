namespace AscendAio.Router.Policies.Json;

/// <summary>A problem at one field of a policy file; <see cref="Field"/> is its dotted JSON path ("" for the root).</summary>
internal sealed class PolicyFieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
