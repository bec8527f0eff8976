namespace AscendAio.Router;

/// <summary>Which resident model serves a request. Display names are the reference pair's bundle names.</summary>
public enum ModelRole
{
    Small,
    Large,
    SmallQuant,
    LargeQuant,
}

public static class ModelRoles
{
    public static readonly ModelRole[] All = [ModelRole.Small, ModelRole.Large, ModelRole.SmallQuant, ModelRole.LargeQuant];

    /// <summary>"ref-small", "ref-large", "ref-small-w8a16", "ref-large-w8a16".</summary>
    public static string DisplayName(this ModelRole role) => role switch
    {
        ModelRole.Small => "ref-small",
        ModelRole.Large => "ref-large",
        ModelRole.SmallQuant => "ref-small-w8a16",
        ModelRole.LargeQuant => "ref-large-w8a16",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown model role"),
    };

    /// <summary>The small model and its quantized variant (the probe's family: limited trained context).</summary>
    public static bool IsSmall(this ModelRole role) => role is ModelRole.Small or ModelRole.SmallQuant;

    /// <summary>Accepts display names ("ref-small") and short names ("small", "large-quant"); null when unknown.</summary>
    public static ModelRole? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "ref-small" or "small" => ModelRole.Small,
        "ref-large" or "large" => ModelRole.Large,
        "ref-small-w8a16" or "small-w8a16" or "small-quant" => ModelRole.SmallQuant,
        "ref-large-w8a16" or "large-w8a16" or "large-quant" => ModelRole.LargeQuant,
        _ => null,
    };

    public const string Accepted = "ref-small|ref-large|ref-small-w8a16|ref-large-w8a16";
}
