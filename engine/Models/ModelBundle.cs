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

    /// <summary>Reads bundle.json and the tokenizer; the ONNX graph named by the manifest must exist (the .om is checked at load, on CANN).</summary>
    public static ModelBundle Load(string directory)
    {
        var manifest = BundleManifest.Load(directory);
        foreach (var file in new[] { manifest.Graph.OnnxFile, manifest.Graph.CpuOnnxFile }.OfType<string>())
        {
            var graphPath = Path.Combine(directory, file);
            if (!File.Exists(graphPath))
                throw new FileNotFoundException($"bundle '{directory}': the graph '{file}' is missing; re-export with aio export", graphPath);
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
