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
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string ModelName { get; init; }
    public required BundleModel Model { get; init; }
    public required BundleTokenizerInfo Tokenizer { get; init; }
    public required BundleTemplates Templates { get; init; }

    /// <summary>Category → token id (code, qa, math) where the tokenizer has &lt;|code|&gt; etc.</summary>
    public required IReadOnlyDictionary<string, int> CategoryTokens { get; init; }

    public required int MaxContext { get; init; }
    public required int PrefillChunk { get; init; }
    public required int VerifyK { get; init; }
    public required IReadOnlyList<int> Gears { get; init; }
    public required int OnnxOpset { get; init; }
    public required BundleWeights Weights { get; init; }
    public required KvLayout KvLayout { get; init; }
    public required IReadOnlyList<BundleGraph> Graphs { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The graph of a kind and variant with the smallest gear that holds <paramref name="positions"/> cache entries.</summary>
    public BundleGraph? FindGraph(GraphKind kind, GraphVariant variant, int positions) =>
        Graphs.Where(g => g.Kind == kind && g.Variant == variant && g.Gear >= positions).MinBy(g => g.Gear);

    public static BundleManifest Load(string bundleDirectory)
    {
        var path = Path.Combine(bundleDirectory, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{bundleDirectory}' is not a model bundle: {FileName} is missing", path);
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (manifest is null)
            throw new InvalidDataException($"{path}: empty manifest");
        if (manifest.FormatVersion != CurrentFormatVersion)
            throw new InvalidDataException($"{path}: 'format_version' {manifest.FormatVersion} is not supported (expected {CurrentFormatVersion})");
        return manifest;
    }

    public void Save(string bundleDirectory) =>
        File.WriteAllText(Path.Combine(bundleDirectory, FileName), JsonSerializer.Serialize(this, JsonOptions));
}
