namespace AscendAio.Cli;

/// <summary>Where the reference bundles are by default: artifacts/bundles beside artifacts/bin/aio, else repo-relative.</summary>
internal static class BundlePaths
{
    public static string Default()
    {
        var besideBinary = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "bundles"));
        return Directory.Exists(besideBinary) ? besideBinary : Path.Combine("artifacts", "bundles");
    }
}
