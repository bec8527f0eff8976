using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;

namespace AscendAio.Engine.Models;

/// <summary>A model bundle on disk: its manifest and tokenizer, checked before anything touches the device.</summary>
public sealed class ModelBundle
{
    private ModelBundle(string directory, BundleManifest manifest, BundleTokenizer tokenizer)
    {
        Directory = directory;
        Manifest = manifest;
        Tokenizer = tokenizer;
    }

    public string Directory { get; }

    public BundleManifest Manifest { get; }

    public BundleTokenizer Tokenizer { get; }

    public string Name => Manifest.ModelName;

    /// <summary>Reads bundle.json and the tokenizer; every graph file named by the manifest must exist.</summary>
    public static ModelBundle Load(string directory)
    {
        var manifest = BundleManifest.Load(directory);
        foreach (var graph in manifest.Graphs)
        {
            var path = Path.Combine(directory, graph.File);
            if (!File.Exists(path))
                throw new FileNotFoundException($"bundle '{directory}': graph '{graph.Name}' names '{graph.File}', which is missing", path);
        }
        if (!File.Exists(Path.Combine(directory, manifest.Weights.File)))
            throw new FileNotFoundException($"bundle '{directory}': weight file '{manifest.Weights.File}' is missing");
        var tokenizer = BundleTokenizer.Load(directory);
        return new ModelBundle(Path.GetFullPath(directory), manifest, tokenizer);
    }

    /// <summary>The template with the request text substituted.</summary>
    public static string Apply(string template, string request) =>
        template.Replace(BundleTemplates.RequestPlaceholder, request, StringComparison.Ordinal);
}
