using System.Globalization;
using AscendAio.Engine.Bundles;
using AscendAio.Router;
using AscendAio.Router.Policies;
using Microsoft.Extensions.Configuration;

namespace AscendAio.Host.Configuration;

/// <summary>
/// Reads <see cref="AioOptions"/> out of a layered configuration, collecting every problem (unknown key, bad
/// number, out-of-range value, missing bundle) with the key and the place its value came from.
/// </summary>
internal sealed class OptionsReader(IConfigurationRoot root, string? file, ConfigCheckDepth depth)
{
    private static readonly string[] KnownKeys =
    [
        "device:id", "device:aclConfig", "models:small", "models:large", "models:smallName", "models:largeName", "policy",
        "limits:maxPromptTokens", "limits:maxRequestBytes", "limits:maxNewTokens", "limits:queueLength", "limits:concurrentSequences", "limits:shutdownGraceSeconds",
        "server:urls", "server:apiKeys",
    ];

    private readonly List<ConfigIssue> _errors = [];
    private readonly List<ConfigIssue> _warnings = [];
    private readonly string _baseDirectory = file is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(file)!;

    public ConfigReport Read()
    {
        CheckKeys();
        var limits = new LimitOptions
        {
            MaxPromptTokens = Int("limits:maxPromptTokens", new LimitOptions().MaxPromptTokens, 1, 1 << 20),
            MaxRequestBytes = Value("limits:maxRequestBytes") is null ? null : Int("limits:maxRequestBytes", 0, 1024, int.MaxValue),
            MaxNewTokens = Int("limits:maxNewTokens", new LimitOptions().MaxNewTokens, 1, 1 << 20),
            QueueLength = Int("limits:queueLength", new LimitOptions().QueueLength, 0, 1 << 16),
            ConcurrentSequences = Int("limits:concurrentSequences", new LimitOptions().ConcurrentSequences, 1, 1024),
            ShutdownGraceSeconds = Double("limits:shutdownGraceSeconds", new LimitOptions().ShutdownGraceSeconds, 0, 3600),
        };
        var options = new AioOptions
        {
            Device = new DeviceOptions { Id = Int("device:id", 0, 0, 63), AclConfig = ExistingFile("device:aclConfig") },
            Models = Models(),
            Policy = PolicyPath(),
            Limits = limits,
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

    private string Source(string key) => AioConfiguration.SourceOf(root, key, file);

    private string? Value(string key) => root[key] is { Length: > 0 } v ? v.Trim() : null;

    private int Int(string key, int fallback, int min, int max)
    {
        if (Value(key) is not { } text)
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            _errors.Add(new ConfigIssue(key, Source(key), $"'{text}' is not an integer"));
        else if (value < min || value > max)
            _errors.Add(new ConfigIssue(key, Source(key), $"{value} is out of range [{min}, {max}]"));
        else
            return value;
        return fallback;
    }

    private double Double(string key, double fallback, double min, double max)
    {
        if (Value(key) is not { } text)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            _errors.Add(new ConfigIssue(key, Source(key), $"'{text}' is not a number"));
        else if (value < min || value > max)
            _errors.Add(new ConfigIssue(key, Source(key), $"{value} is out of range [{min}, {max}]"));
        else
            return value;
        return fallback;
    }

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
