using AscendAio.Engine.Bundles;
using AscendAio.Router;

namespace AscendAio.Host.Configuration;

/// <summary>
/// The names the configured models are served under: models:smallName / models:largeName when set, else the
/// bundle's model_name (bundle.json). Only bundle.json is read; nothing is loaded.
/// </summary>
public static class ServedNames
{
    /// <exception cref="AioConfigException">A bundle cannot be read, or the names collide or are not usable.</exception>
    public static ModelNames Resolve(ModelOptions models)
    {
        var (names, issues) = Check(models, _ => "configuration");
        return issues.Count == 0 ? names! : throw new AioConfigException(issues);
    }

    /// <summary>Every problem with the names, each under the key to change; <paramref name="source"/> names where a key came from.</summary>
    internal static (ModelNames? Names, List<ConfigIssue> Issues) Check(ModelOptions models, Func<string, string> source)
    {
        var issues = new List<ConfigIssue>();
        var taken = new Dictionary<ModelRole, string>();
        foreach (var (role, bundle, configured, bundleKey, nameKey) in new[]
        {
            (ModelRole.Small, models.Small, models.SmallName, "models:small", "models:smallName"),
            (ModelRole.Large, models.Large, models.LargeName, "models:large", "models:largeName"),
        })
        {
            if (bundle is null)
                continue; // a name without its bundle names nothing (OptionsReader warns)
            string name;
            if (configured is not null)
            {
                name = configured;
            }
            else
            {
                try
                {
                    name = BundleManifest.Load(bundle).ModelName;
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
                {
                    issues.Add(new ConfigIssue(bundleKey, source(bundleKey), e.Message));
                    continue;
                }
            }
            if (ModelNames.Problem(name, role, taken) is { } problem)
            {
                var key = configured is not null ? nameKey : bundleKey;
                var fix = configured is not null ? "" : $" (the bundle's model_name; set {nameKey} to serve it under another)";
                issues.Add(new ConfigIssue(key, source(key), problem + fix));
                continue;
            }
            taken[role] = name;
        }
        return issues.Count == 0 ? (new ModelNames(taken), issues) : (null, issues);
    }
}
