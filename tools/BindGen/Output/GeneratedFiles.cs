using System.Text;

namespace AscendAio.BindGen.Output;

/// <summary>What a check found: files whose text differs, files not written yet, files the generator no longer writes.</summary>
public sealed record CheckResult(IReadOnlyList<string> Differ, IReadOnlyList<string> Missing, IReadOnlyList<string> Stale, int FileCount)
{
    public bool UpToDate => Differ.Count == 0 && Missing.Count == 0 && Stale.Count == 0;
}

/// <summary>What a write changed, by repository-relative path.</summary>
public sealed record WriteResult(IReadOnlyList<string> Written, IReadOnlyList<string> Deleted, int Unchanged);

/// <summary>
/// The complete content of the generator-owned folders, held in memory: every file the generator writes,
/// keyed by its path relative to the repository root. Anything else found in those folders is stale.
/// </summary>
public sealed class GeneratedFiles(string repoRoot, IReadOnlyList<string> ownedDirs)
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);

    public int Count => _files.Count;

    public IEnumerable<string> Paths => _files.Keys;

    public string this[string relativePath] => _files[relativePath];

    public void Add(string relativePath, string content)
    {
        relativePath = relativePath.Replace('\\', '/');
        if (!ownedDirs.Any(dir => relativePath.StartsWith(dir.TrimEnd('/') + "/", StringComparison.Ordinal)))
            throw new GeneratorException($"{relativePath} is outside the generator's folders ({string.Join(", ", ownedDirs)})");
        if (!_files.TryAdd(relativePath, content))
            throw new GeneratorException($"two declarations would both be written to {relativePath}");
    }

    public CheckResult Check()
    {
        var differ = new List<string>();
        var missing = new List<string>();
        foreach (var (path, content) in _files)
        {
            var full = FullPath(path);
            if (!File.Exists(full))
                missing.Add(path);
            else if (!File.ReadAllBytes(full).AsSpan().SequenceEqual(Utf8NoBom.GetBytes(content)))
                differ.Add(path);
        }
        return new CheckResult(differ, missing, StaleFiles(), _files.Count);
    }

    /// <summary>Writes files whose content changed (others keep their timestamps) and deletes stale ones.</summary>
    public WriteResult Write()
    {
        var written = new List<string>();
        var unchanged = 0;
        foreach (var (path, content) in _files)
        {
            var full = FullPath(path);
            var bytes = Utf8NoBom.GetBytes(content);
            if (File.Exists(full) && File.ReadAllBytes(full).AsSpan().SequenceEqual(bytes))
            {
                unchanged++;
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
            written.Add(path);
        }
        var stale = StaleFiles();
        foreach (var path in stale)
            File.Delete(FullPath(path));
        return new WriteResult(written, stale, unchanged);
    }

    private List<string> StaleFiles()
    {
        var stale = new List<string>();
        foreach (var dir in ownedDirs)
        {
            var full = FullPath(dir);
            if (!Directory.Exists(full))
                continue;
            foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(repoRoot, file).Replace('\\', '/');
                if (!_files.ContainsKey(relative))
                    stale.Add(relative);
            }
        }
        stale.Sort(StringComparer.Ordinal);
        return stale;
    }

    private string FullPath(string relativePath) => Path.Combine(repoRoot, relativePath);
}
