using System.Diagnostics;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;

namespace AscendAio.Export;

/// <summary>What an export wrote and how long it took.</summary>
public sealed record ExportResult(string BundleDirectory, BundleManifest Manifest, long WeightFileBytes, TimeSpan Elapsed);

/// <summary>
/// Checkpoint directory ⇒ model bundle: weights.bin (external data), the model's one ONNX graph (every call shape a
/// profile of it), the tokenizer files, bundle.json and atc.sh.
/// </summary>
public static partial class BundleExporter
{
    public const string WeightFileName = "weights.bin";

    public static ExportResult Export(ExportOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        using var checkpoint = LlamaCheckpoint.Open(options.CheckpointDirectory);
        var config = checkpoint.Config;
        var tokenizer = BundleTokenizer.Load(options.CheckpointDirectory);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new CheckpointException(LlamaConfig.FileName, "vocab_size",
                $"{config.VocabSize} is smaller than the tokenizer's vocabulary ({tokenizer.VocabSize} ids)");
        // A template the renderer cannot use fails here, before any weights are written, as it would at bundle load.
        var chatTemplateFile = ChatTemplateFileOf(options.CheckpointDirectory);
        if (chatTemplateFile is not null)
            ModelBundle.LoadChatTemplate(options.CheckpointDirectory, chatTemplateFile);

        var plan = Plan(options, config);
        // Everything is written into a staging folder beside the output and moved into place at the end: a failed or
        // interrupted export leaves no half-written bundle (and an existing bundle stays intact until the new one is whole).
        var output = Path.GetFullPath(options.OutputDirectory);
        // An existing output is replaced only when it is a bundle (or empty): never a folder holding anything else.
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !File.Exists(Path.Combine(output, BundleManifest.FileName)))
            throw new ArgumentException($"output directory '{options.OutputDirectory}' exists and is not a bundle (no {BundleManifest.FileName}); choose an empty or new folder");
        var staging = output.TrimEnd(Path.DirectorySeparatorChar) + ".partial";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var manifest = WriteBundle(options, staging, checkpoint, tokenizer, chatTemplateFile, plan);
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
            Directory.Move(staging, output);
            return new ExportResult(options.OutputDirectory, manifest, new FileInfo(Path.Combine(output, WeightFileName)).Length, stopwatch.Elapsed);
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static BundleManifest WriteBundle(ExportOptions options, string directory, LlamaCheckpoint checkpoint, BundleTokenizer tokenizer,
        string? chatTemplateFile, ExportPlan plan)
    {
        var weightPath = Path.Combine(directory, WeightFileName);
        ModelWeights weights;
        using (var file = new ExternalWeightFile(weightPath))
            weights = ModelWeights.Write(checkpoint, file, options.DType, options.Quantization, plan.MaxContext);

        var spec = plan.Graph;
        var fileBytes = LlamaGraphBuilder.Build(weights, spec, GraphPrecision.Native(options.DType), options.Opset)
            .Save(Path.Combine(directory, GraphSpec.OnnxFile));
        string? cpuFile = null;
        if (!GraphPrecision.CpuRunsNatively(options.DType))
        {
            cpuFile = GraphSpec.CpuOnnxFile;
            LlamaGraphBuilder.Build(weights, spec, GraphPrecision.EmulatedIn(options.DType), options.Opset)
                .Save(Path.Combine(directory, cpuFile));
        }
        var graph = new BundleGraph
        {
            OnnxFile = GraphSpec.OnnxFile,
            CpuOnnxFile = cpuFile,
            OmFile = GraphSpec.OmFile,
            Inputs = spec.Inputs(),
            Outputs = spec.Outputs(),
            Profiles = spec.Profiles,
            FileBytes = fileBytes,
        };

        var tokenizerFiles = BundleTokenizer.FilesOf(options.CheckpointDirectory);
        foreach (var name in tokenizerFiles)
            File.Copy(Path.Combine(options.CheckpointDirectory, name), Path.Combine(directory, name), overwrite: true);

        var manifest = BuildManifest(options, checkpoint, tokenizer, tokenizerFiles, chatTemplateFile, plan, weights, graph);
        manifest.Save(directory);
        AtcScript.Write(directory, manifest, spec);
        return manifest;
    }

    internal sealed record ExportPlan(int MaxContext, int PrefillChunk, int VerifyK, IReadOnlyList<int> Gears, GraphSpec Graph);

    /// <summary>atc accepts 2 to 100 --dynamic_dims gears per graph (CANN ATC documentation, --dynamic_dims).</summary>
    public const int MaxProfiles = 100;

    /// <summary>Validates sizes and lists the graph's profiles: prefill (T = C, batch 1), decode (T = 1) and verify (T = K+1) at every batch gear, all at every window gear.</summary>
    internal static ExportPlan Plan(ExportOptions o, LlamaConfig config)
    {
        // A sliding-window model (Mistral) defaults to its window; a longer --max-context keeps every entry in the cache
        // and the graph masks each token's attention to its last sliding_window positions (LlamaGraphBuilder.BuildMasks).
        var maxContext = o.MaxContext ?? Math.Min(config.MaxPositions, config.SlidingWindow ?? int.MaxValue);
        if (maxContext < 2 || maxContext > config.MaxPositions)
            throw new ArgumentException($"max context {maxContext} must be in 2..{config.MaxPositions} (max_position_embeddings)");
        var chunk = o.PrefillChunk ?? KvGears.DefaultPrefillChunk(maxContext);
        if (chunk < 1 || chunk > maxContext)
            throw new ArgumentException($"prefill chunk {chunk} must be in 1..{maxContext} (max context)");
        if (o.VerifyK < 1 || o.VerifyK + 1 > maxContext)
            throw new ArgumentException($"verify K {o.VerifyK} must be at least 1 and K + 1 must fit the max context ({maxContext})");
        var gears = (o.Gears ?? KvGears.Default(maxContext, chunk)).Distinct().Order().ToList();
        if (gears.Count == 0 || gears[^1] != maxContext)
            throw new ArgumentException($"the largest gear must equal the max context ({maxContext}); got {string.Join(", ", gears)}");
        if (gears[0] < o.VerifyK + 1)
            throw new ArgumentException($"gear {gears[0]} is smaller than a verify call (K + 1 = {o.VerifyK + 1})");

        var batches = o.BatchGears.Distinct().Order().ToList();
        if (batches.Count == 0 || batches[0] != 1 || batches[^1] > 256)
            throw new ArgumentException($"batch gears must include 1 and stay within 1..256; got {string.Join(", ", o.BatchGears)}");
        // Prefill (T = C) at batch 1; decode (T = 1) and verify (T = K+1) at every batch gear; all at every window gear.
        var stepSizes = new[] { 1, o.VerifyK + 1 }.Distinct().ToArray();
        var profiles = gears.SelectMany(g =>
            new[] { new GraphProfile(1, chunk, g) }
                .Concat(batches.SelectMany(b => stepSizes.Select(t => new GraphProfile(b, t, g))))
                .Distinct()).ToList();
        if (profiles.Count > MaxProfiles)
            throw new ArgumentException($"{profiles.Count} graph profiles ({gears.Count} window gears x (1 prefill + {batches.Count} batch gears x {stepSizes.Length} step sizes)) exceed atc's {MaxProfiles} dynamic-dims gears; give fewer --gears or --batch");
        if (!o.DType.IsFloat())
            throw new ArgumentException($"dtype {o.DType.ManifestName()} is not an export dtype (float32, float16, bfloat16)");
        var graph = new GraphSpec(config.Layers, config.KvHeads, config.HeadDim, config.VocabSize, profiles, o.DType);
        return new ExportPlan(maxContext, chunk, o.VerifyK, gears, graph);
    }
}
