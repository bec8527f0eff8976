using AscendAio.Engine.Bundles;
using AscendAio.Router;
using AscendAio.Router.Policies;
using Microsoft.Extensions.Configuration;

namespace AscendAio.Host.Configuration;

/// <summary>
/// Reads <see cref="AioOptions"/> out of a layered configuration, collecting every problem (unknown key, bad
/// number, out-of-range value, missing bundle) with the key and the place its value came from. The binder fills the
/// options; the keys come from the options types (<see cref="OptionKeys"/>), the ranges from their annotations
/// (<see cref="AioOptionsValidator"/>).
/// </summary>
internal sealed class OptionsReader(IConfigurationRoot root, string? file, ConfigCheckDepth depth)
{
    private static readonly string[] KnownKeys = OptionKeys.All.Select(k => k.Path).ToArray();

    private readonly List<ConfigIssue> _errors = [];
    private readonly List<ConfigIssue> _warnings = [];
    private readonly string _baseDirectory = file is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(file)!;

    public ConfigReport Read()
    {
        CheckKeys();
        var bound = Bind();
        foreach (var (key, message) in AioOptionsValidator.Failures(bound))
            _errors.Add(new ConfigIssue(key, Source(key), $"{Value(key)} is {message}"));
        var options = bound with
        {
            Device = bound.Device with { AclConfig = ExistingFile("device:aclConfig") },
            Models = Models(),
            Policy = PolicyPath(),
            Server = new ServerOptions { Urls = Urls(), ApiKeys = ApiKeys() },
            SourceFile = file,
        };
        return new ConfigReport(_errors.Count == 0 ? options : null, _errors, _warnings);
    }

    private void CheckKeys()
    {
        foreach (var (key, value) in root.AsEnumerable())
        {
            if (value is null || key.StartsWith('$'))
                continue; // sections themselves, "$schema"
            var normalized = System.Text.RegularExpressions.Regex.Replace(key, @":\d+$", "");
            if (KnownKeys.Contains(normalized, StringComparer.OrdinalIgnoreCase))
                continue;
            var source = Source(key);
            // Other AIO_ variables (AIO_ACL_LIBRARY, AIO_CPU_THREADS, ...) belong to other parts of the stack.
            if (source.StartsWith("environment", StringComparison.Ordinal) && !key.Contains(':'))
                continue;
            var suggestion = KnownKeys.MinBy(k => Distance(k.ToLowerInvariant(), normalized.ToLowerInvariant()))!;
            var hint = Distance(suggestion.ToLowerInvariant(), normalized.ToLowerInvariant()) <= 4 ? $"; did you mean '{suggestion}'?" : "";
            _errors.Add(new ConfigIssue(key, source, $"unknown key{hint} (known: {string.Join(", ", KnownKeys)})"));
        }
    }

    /// <summary>
    /// Binds the typed values. A value the binder cannot convert is an error here and left out of the binding, so
    /// every other key is still checked; blank values count as unset, as they always have.
    /// </summary>
    private AioOptions Bind()
    {
        var unbindable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in OptionKeys.All)
        {
            if (option.IsList)
            {
                unbindable.Add(option.Path); // server:apiKeys: an array or one comma-separated value (ApiKeys)
                continue;
            }
            if (Value(option.Path) is not { } text)
            {
                unbindable.Add(option.Path);
                continue;
            }
            try
            {
                root.GetSection(option.Path).Get(option.Type);
            }
            catch (InvalidOperationException)
            {
                unbindable.Add(option.Path);
                _errors.Add(new ConfigIssue(option.Path, Source(option.Path), $"'{text}' is not {Expected(option.Type)}"));
            }
        }
        var bindable = new ConfigurationBuilder()
            .AddInMemoryCollection(root.AsEnumerable().Where(p => p.Value is not null && !unbindable.Contains(p.Key)))
            .Build();
        return bindable.Get<AioOptions>() ?? new AioOptions();
    }

    private static string Expected(Type type) =>
        type == typeof(int) || type == typeof(long) ? "an integer" : type == typeof(double) ? "a number" : $"a {type.Name}";

    private string Source(string key) => AioConfiguration.SourceOf(root, key, file);

    private string? Value(string key) => root[key] is { Length: > 0 } v && v.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>Relative paths are taken from the config file's folder when the value came from it, else from the current folder.</summary>
    private string? ResolvePath(string key)
    {
        if (Value(key) is not { } text)
            return null;
        var fromFile = file is not null && Source(key) == file;
        return Path.GetFullPath(text, fromFile ? _baseDirectory : Directory.GetCurrentDirectory());
    }

    private string? ExistingFile(string key)
    {
        var path = ResolvePath(key);
        if (path is not null && depth >= ConfigCheckDepth.Files && !File.Exists(path))
            _errors.Add(new ConfigIssue(key, Source(key), $"file '{path}' does not exist"));
        return path;
    }

    /// <summary>The routing policy file: it must exist and parse (every field is checked by the router's reader).</summary>
    private string? PolicyPath()
    {
        const string key = "policy";
        var path = ExistingFile(key);
        if (path is null || depth < ConfigCheckDepth.Files || !File.Exists(path))
            return path;
        try
        {
            PolicyFile.Load(path).Create();
        }
        catch (RoutingException e)
        {
            _errors.Add(new ConfigIssue(key, Source(key), e.Message));
        }
        return path;
    }

    /// <summary>
    /// One bundle or both: either alone serves requests naming it, routing ("aio") needs both. Names are checked
    /// against each other (and, reading the files, against the bundles' own model names).
    /// </summary>
    private ModelOptions Models()
    {
        var errorsBefore = _errors.Count;
        var models = new ModelOptions
        {
            Small = Bundle("models:small"),
            Large = Bundle("models:large"),
            SmallName = Value("models:smallName"),
            LargeName = Value("models:largeName"),
        };
        if (models.Small is null && models.Large is null)
        {
            const string hint = "a model bundle directory is required (made by `aio export --checkpoint DIR --out DIR`); configure models:small, models:large or both";
            _errors.Add(new ConfigIssue("models:small", "missing", hint));
            _errors.Add(new ConfigIssue("models:large", "missing", hint));
        }
        else if (models.Small is null || models.Large is null)
        {
            var (missing, present) = models.Small is null ? ("models:small", "models:large") : ("models:large", "models:small");
            _warnings.Add(new ConfigIssue(missing, "missing",
                $"only {present} is configured: requests naming it are served, the routed model '{ModelNames.Routed}' needs both"));
        }
        foreach (var (bundle, name, nameKey) in new[] { (models.Small, models.SmallName, "models:smallName"), (models.Large, models.LargeName, "models:largeName") })
        {
            if (bundle is null && name is not null)
                _warnings.Add(new ConfigIssue(nameKey, Source(nameKey), $"names no model: {nameKey[..^4]} is not set"));
        }
        if (_errors.Count > errorsBefore)
            return models;
        // Without the files, only the configured names can be checked.
        var checkedModels = depth >= ConfigCheckDepth.Files ? models
            : models with { Small = models.SmallName is null ? null : models.Small, Large = models.LargeName is null ? null : models.Large };
        _errors.AddRange(ServedNames.Check(checkedModels, Source).Issues);
        return models;
    }

    private string? Bundle(string key)
    {
        var path = ResolvePath(key);
        if (path is null || depth < ConfigCheckDepth.Files)
            return path;
        if (!Directory.Exists(path))
        {
            _errors.Add(new ConfigIssue(key, Source(key),
                $"bundle directory '{path}' does not exist (`./build.sh` exports models/* to artifacts/bundles; or `aio export --checkpoint DIR --out {path}`)"));
            return path;
        }
        try
        {
            BundleManifest.Load(path);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            _errors.Add(new ConfigIssue(key, Source(key), e.Message));
        }
        return path;
    }

    private string Urls()
    {
        const string key = "server:urls";
        var text = Value(key) ?? ServerOptions.DefaultUrls;
        foreach (var url in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                _errors.Add(new ConfigIssue(key, Source(key), $"'{url}' is not an http:// or https:// URL"));
                continue;
            }
            if (!uri.IsLoopback && uri.Host != "localhost" && !ApiKeysPresent())
                _warnings.Add(new ConfigIssue(key, Source(key), $"'{url}' listens beyond this machine and no server:apiKeys are set"));
        }
        return text;
    }

    private bool ApiKeysPresent() => root.GetSection("server:apiKeys").GetChildren().Any() || Value("server:apiKeys") is not null;

    private IReadOnlyList<string> ApiKeys()
    {
        const string key = "server:apiKeys";
        var section = root.GetSection(key);
        // An array in JSON (server:apiKeys:0, ...), or one comma-separated value (handy in an environment variable).
        var entries = section.GetChildren().Select(c => (Key: c.Path, c.Value)).ToList();
        if (section.Value is { Length: > 0 } joined)
            entries.AddRange(joined.Split(',').Select(v => (Key: key, (string?)v)));
        var keys = new List<string>();
        foreach (var (entryKey, value) in entries)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed))
                _errors.Add(new ConfigIssue(entryKey, Source(entryKey), "an API key must not be empty"));
            else if (trimmed.Any(char.IsWhiteSpace))
                _errors.Add(new ConfigIssue(entryKey, Source(entryKey), "an API key must not contain whitespace"));
            else
                keys.Add(trimmed);
        }
        return keys;
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
