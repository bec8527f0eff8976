using AscendAio.Engine.Models;

namespace AscendAio.Router;

/// <summary>
/// The models resident on the device, by role. The small model also runs the probe (it needs its logits
/// graphs) and drafts for the large one. The router does not own them unless <see cref="RouterOptions.OwnsModels"/>.
/// </summary>
public sealed record RouterModels
{
    public required LanguageModel Small { get; init; }
    public required LanguageModel Large { get; init; }
    public LanguageModel? SmallQuant { get; init; }
    public LanguageModel? LargeQuant { get; init; }

    public LanguageModel? Get(ModelRole role) => role switch
    {
        ModelRole.Small => Small,
        ModelRole.Large => Large,
        ModelRole.SmallQuant => SmallQuant,
        ModelRole.LargeQuant => LargeQuant,
        _ => null,
    };

    /// <exception cref="RoutingException">The role's model is not loaded.</exception>
    public LanguageModel Require(ModelRole role) =>
        Get(role) ?? throw new RoutingException($"the route needs the {role.RoleName()} model, which is not loaded");

    public IEnumerable<(ModelRole Role, LanguageModel Model)> Loaded()
    {
        foreach (var role in ModelRoles.All)
        {
            if (Get(role) is { } model)
                yield return (role, model);
        }
    }
}
