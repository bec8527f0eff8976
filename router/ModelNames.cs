namespace AscendAio.Router;

/// <summary>
/// The one map between roles and the names their models are served, reported and counted under: the configured
/// name, else the bundle's model_name. Names are distinct, non-empty and never <see cref="Routed"/>. A role with no
/// model has no name; <see cref="Of"/> then falls back to the role's own name ("small", ...).
/// </summary>
public sealed class ModelNames
{
    /// <summary>The routed model: the probe and the policy pick the model per request.</summary>
    public const string Routed = "aio";

    private readonly Dictionary<ModelRole, string> _byRole = [];

    /// <exception cref="ArgumentException">A name is empty, is "aio", or is given to two roles.</exception>
    public ModelNames(IEnumerable<KeyValuePair<ModelRole, string>> names)
    {
        foreach (var (role, name) in names)
        {
            if (Problem(name, role, _byRole) is { } problem)
                throw new ArgumentException(problem, nameof(names));
            _byRole[role] = name;
        }
    }

    /// <summary>The names of the loaded models, as their bundles name them (model_name in bundle.json).</summary>
    public static ModelNames FromBundles(RouterModels models) =>
        new(models.Loaded().Select(p => KeyValuePair.Create(p.Role, p.Model.Name)));

    /// <summary>Why <paramref name="name"/> cannot name <paramref name="role"/> next to <paramref name="taken"/>; null when it can.</summary>
    public static string? Problem(string? name, ModelRole role, IReadOnlyDictionary<ModelRole, string> taken)
    {
        if (string.IsNullOrWhiteSpace(name))
            return $"the {role.RoleName()} model needs a non-empty name";
        if (name != name.Trim())
            return $"the {role.RoleName()} model's name '{name}' has leading or trailing whitespace";
        if (string.Equals(name, Routed, StringComparison.OrdinalIgnoreCase))
            return $"'{Routed}' is the routed model's name; give the {role.RoleName()} model another";
        foreach (var (other, otherName) in taken)
        {
            if (other != role && string.Equals(otherName, name, StringComparison.Ordinal))
                return $"'{name}' names both the {other.RoleName()} and the {role.RoleName()} model; give each its own name";
        }
        return null;
    }

    /// <summary>The roles that have a name, in role order.</summary>
    public IEnumerable<ModelRole> Roles => ModelRoles.All.Where(_byRole.ContainsKey);

    /// <summary>The names, in role order (small, large, small-quant, large-quant).</summary>
    public IReadOnlyList<string> Names => Roles.Select(r => _byRole[r]).ToList();

    public bool Has(ModelRole role) => _byRole.ContainsKey(role);

    /// <summary>The role's name; the role's own name when it has none.</summary>
    public string Of(ModelRole role) => _byRole.TryGetValue(role, out var name) ? name : role.RoleName();

    /// <summary>The role served under <paramref name="name"/> (exact, case-sensitive as OpenAI model ids are); null when none.</summary>
    public ModelRole? RoleOf(string? name)
    {
        foreach (var (role, n) in _byRole)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
                return role;
        }
        return null;
    }

    public override string ToString() => string.Join(", ", Roles.Select(r => $"{r.RoleName()}={_byRole[r]}"));
}
