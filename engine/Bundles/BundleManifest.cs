using System.Text.Json;
using System.Text.Json.Serialization;

namespace AscendAio.Engine.Bundles;

/// <summary>
/// bundle.json: everything the engine needs to run an exported model: architecture, tokenizer, templates,
/// category token ids, gears and graph files with their inputs and outputs, KV layout, weight bytes.
/// Written by tools/Export, read by the engine.
/// </summary>
public sealed record BundleManifest
{
    public const string FileName = "bundle.json";

    /// <summary>The graph contract: 2 = one graph per model, profiles as dynamic-dims gears, a batch axis, per-layer KV inputs.</summary>
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string ModelName { get; init; }
    public required BundleModel Model { get; init; }
    public required BundleTokenizerInfo Tokenizer { get; init; }
    public required BundleTemplates Templates { get; init; }

    /// <summary>Category → token id (code, qa, math) where the tokenizer has &lt;|code|&gt; etc.</summary>
    public required IReadOnlyDictionary<string, int> CategoryTokens { get; init; }

    /// <summary>
    /// Category → the word an instruct model answers the probe with (code → "code"): read where the bundle has no
    /// category tokens; null = <see cref="DefaultCategoryLabels"/>. The probe reads the logit of each label's first token.
    /// </summary>
    public IReadOnlyDictionary<string, string>? CategoryLabels { get; init; }

    public static IReadOnlyDictionary<string, string> DefaultCategoryLabels { get; } =
        new Dictionary<string, string> { ["code"] = "code", ["qa"] = "qa", ["math"] = "math" };

    public required int MaxContext { get; init; }
    public required int PrefillChunk { get; init; }
    public required int VerifyK { get; init; }

    /// <summary>KV window gears (ascending; the last is the max context): the capacities a cache is allocated at.</summary>
    public required IReadOnlyList<int> Gears { get; init; }

    public required int OnnxOpset { get; init; }

    /// <summary>Element type of weights, activations and the KV cache: float32, float16 or bfloat16.</summary>
    public required string DType { get; init; }

    public required BundleWeights Weights { get; init; }
    public required KvLayout KvLayout { get; init; }
    public required BundleGraph Graph { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The smallest gear that holds <paramref name="positions"/> cache entries, or null past the max context.</summary>
    public int? GearFor(int positions) => KvGears.Covering(Gears, positions);

    /// <summary>Whether the graph is compiled for <paramref name="profile"/>.</summary>
    public bool HasProfile(GraphProfile profile) => Graph.Profiles.Contains(profile);

    public static BundleManifest Load(string bundleDirectory)
    {
        var path = Path.Combine(bundleDirectory, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{bundleDirectory}' is not a model bundle: {FileName} is missing", path);
        var bytes = File.ReadAllBytes(path);
        var version = ReadFormatVersion(bytes, path);
        if (version != CurrentFormatVersion)
            throw new InvalidDataException(
                $"{path}: bundle format {version} is not supported (this engine reads graph contract {CurrentFormatVersion}); re-export with aio export");
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(bytes, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (manifest is null)
            throw new InvalidDataException($"{path}: empty manifest");
        return manifest;
    }

    /// <summary>format_version alone (1 when absent, as round-1 bundles wrote it), read before the rest so an old bundle gets the re-export message.</summary>
    private static int ReadFormatVersion(byte[] bytes, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: expected a JSON object");
            return document.RootElement.TryGetProperty("format_version", out var v) && v.TryGetInt32(out var n) ? n : 1;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Whether <paramref name="bundleDirectory"/> holds a bundle of the current graph contract (caches re-export older ones).</summary>
    public static bool IsCurrent(string bundleDirectory)
    {
        var path = Path.Combine(bundleDirectory, FileName);
        try
        {
            return File.Exists(path) && ReadFormatVersion(File.ReadAllBytes(path), path) == CurrentFormatVersion;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    public void Save(string bundleDirectory) =>
        File.WriteAllText(Path.Combine(bundleDirectory, FileName), JsonSerializer.Serialize(this, JsonOptions));
}
