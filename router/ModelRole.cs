namespace AscendAio.Router;

/// <summary>
/// Which resident model serves a request. Policies and calibration speak roles; the names the models are served,
/// reported and counted under come from configuration (<see cref="ModelNames"/>), never from code.
/// </summary>
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

    /// <summary>"small", "large", "small-quant", "large-quant": the role's own name, as policy files and route headers write it.</summary>
    public static string RoleName(this ModelRole role) => role switch
    {
        ModelRole.Small => "small",
        ModelRole.Large => "large",
        ModelRole.SmallQuant => "small-quant",
        ModelRole.LargeQuant => "large-quant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown model role"),
    };

    /// <summary>The small model and its quantized variant (the probe's family: limited trained context).</summary>
    public static bool IsSmall(this ModelRole role) => role is ModelRole.Small or ModelRole.SmallQuant;

    /// <summary>Accepts role names ("small", "large-quant", also "small-w8a16"); null when unknown.</summary>
    public static ModelRole? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "small" => ModelRole.Small,
        "large" => ModelRole.Large,
        "small-quant" or "small-w8a16" => ModelRole.SmallQuant,
        "large-quant" or "large-w8a16" => ModelRole.LargeQuant,
        _ => null,
    };

    public const string Accepted = "small|large|small-quant|large-quant";
}
