namespace AscendAio.Router.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to AscendAio.sln).</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AscendAio.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no AscendAio.sln above {AppContext.BaseDirectory}");
    }
}
