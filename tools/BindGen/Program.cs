using AscendAio.BindGen;
using AscendAio.BindGen.Settings;

// bindgen: writes bindings/Generated and tests/Bindings.Tests/Generated from native/include (see README.md).
//   dotnet run --project tools/BindGen -- [--check] [--root DIR] [--settings FILE]
// Exit codes: 0 done / up to date, 1 --check found differences, 2 error.

const string SolutionFile = "AscendAio.sln";
const string DefaultSettings = "tools/BindGen/bindgen.json";

var check = false;
string? root = null;
string? settingsPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--check":
            check = true;
            break;
        case "--root" when i + 1 < args.Length:
            root = args[++i];
            break;
        case "--settings" when i + 1 < args.Length:
            settingsPath = args[++i];
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: bindgen [--check] [--root DIR] [--settings FILE]");
            Console.WriteLine($"  --root      repository root (default: nearest parent folder holding {SolutionFile})");
            Console.WriteLine($"  --settings  settings file (default: <root>/{DefaultSettings})");
            Console.WriteLine("  --check     compare with the committed files instead of writing; exit 1 if they differ");
            return 0;
        default:
            Console.Error.WriteLine($"bindgen: unknown argument '{args[i]}' (try --help)");
            return 2;
    }
}

try
{
    root = Path.GetFullPath(root ?? FindRepoRoot(Directory.GetCurrentDirectory())
        ?? throw new GeneratorException($"no {SolutionFile} in {Directory.GetCurrentDirectory()} or above; pass --root"));
    var settings = BindGenSettings.Load(Path.GetFullPath(settingsPath ?? Path.Combine(root, DefaultSettings)));
    var generation = Generator.Run(settings, root);
    foreach (var note in generation.Notes)
        Console.Error.WriteLine("note: " + note);

    if (check)
    {
        var result = generation.Files.Check();
        if (result.UpToDate)
        {
            Console.WriteLine($"bindings up to date ({result.FileCount} files)");
            return 0;
        }
        foreach (var path in result.Differ)
            Console.WriteLine("differs: " + path);
        foreach (var path in result.Missing)
            Console.WriteLine("missing: " + path);
        foreach (var path in result.Stale)
            Console.WriteLine("stale:   " + path);
        Console.WriteLine($"bindings out of date ({result.Differ.Count} differ, {result.Missing.Count} missing, {result.Stale.Count} stale); " +
                          "run `dotnet run --project tools/BindGen` from the repository root");
        return 1;
    }

    var written = generation.Files.Write();
    foreach (var path in written.Written)
        Console.WriteLine("wrote   " + path);
    foreach (var path in written.Deleted)
        Console.WriteLine("deleted " + path);
    Console.WriteLine($"bindgen: {generation.Files.Count} files ({written.Written.Count} written, {written.Unchanged} unchanged, {written.Deleted.Count} stale deleted)");
    return 0;
}
catch (Exception error) when (error is GeneratorException or DllNotFoundException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("bindgen: error: " + error.Message);
    return 2;
}

static string? FindRepoRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            return dir.FullName;
    return null;
}
