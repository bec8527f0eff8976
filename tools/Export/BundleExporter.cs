using System.Diagnostics;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;

namespace AscendAio.Export;

/// <summary>What an export wrote and how long it took.</summary>
public sealed record ExportResult(string BundleDirectory, BundleManifest Manifest, long WeightFileBytes, TimeSpan Elapsed);

/// <summary>
/// Checkpoint directory ⇒ model bundle: weights.bin (shared external data), one static ONNX graph per
/// (kind, variant, gear), the tokenizer files, bundle.json and atc.sh.
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

        var plan = Plan(options, config);
        Directory.CreateDirectory(options.OutputDirectory);

        var weightPath = Path.Combine(options.OutputDirectory, WeightFileName);
        ModelWeights weights;
        using (var file = new ExternalWeightFile(weightPath))
            weights = ModelWeights.Write(checkpoint, file, options.Quantization, plan.MaxContext);

        var graphs = new List<BundleGraph>();
        foreach (var spec in plan.Graphs)
        {
            var fileBytes = LlamaGraphBuilder.Build(weights, spec, options.Opset).Save(Path.Combine(options.OutputDirectory, spec.FileName));
            graphs.Add(new BundleGraph
            {
                Name = spec.Name,
                File = spec.FileName,
                Kind = spec.Kind,
                Variant = spec.Variant,
                Gear = spec.Gear,
                Tokens = spec.Tokens,
                Inputs = spec.Inputs(config.Layers, config.KvHeads, config.HeadDim),
                Outputs = spec.Outputs(config.Layers, config.KvHeads, config.HeadDim, config.VocabSize),
                FileBytes = fileBytes,
            });
        }

        var tokenizerFiles = BundleTokenizer.FilesOf(options.CheckpointDirectory);
        foreach (var name in tokenizerFiles)
            File.Copy(Path.Combine(options.CheckpointDirectory, name), Path.Combine(options.OutputDirectory, name), overwrite: true);

        var manifest = BuildManifest(options, config, tokenizer, tokenizerFiles, plan, weights, graphs);
        manifest.Save(options.OutputDirectory);
        AtcScript.Write(options.OutputDirectory, manifest);
        return new ExportResult(options.OutputDirectory, manifest, new FileInfo(weightPath).Length, stopwatch.Elapsed);
    }

    internal sealed record ExportPlan(int MaxContext, int PrefillChunk, int VerifyK, IReadOnlyList<int> Gears, IReadOnlyList<GraphSpec> Graphs);

    /// <summary>Validates sizes and lists the graphs: prefill (T = C) at gears ≥ C, decode (T = 1) and verify (T = K+1) at every gear.</summary>
    internal static ExportPlan Plan(ExportOptions o, LlamaConfig config)
    {
        var maxContext = o.MaxContext ?? config.MaxPositions;
        if (maxContext < 2 || maxContext > config.MaxPositions)
            throw new ArgumentException($"max context {maxContext} must be in 2..{config.MaxPositions} (max_position_embeddings)");
        if (o.PrefillChunk < 1 || o.PrefillChunk > maxContext)
            throw new ArgumentException($"prefill chunk {o.PrefillChunk} must be in 1..{maxContext} (max context)");
        if (o.VerifyK < 1 || o.VerifyK + 1 > maxContext)
            throw new ArgumentException($"verify K {o.VerifyK} must be at least 1 and K + 1 must fit the max context ({maxContext})");
        var gears = (o.Gears ?? ExportOptions.DefaultGears(maxContext, o.PrefillChunk)).Distinct().Order().ToList();
        if (gears.Count == 0 || gears[^1] != maxContext)
            throw new ArgumentException($"the largest gear must equal the max context ({maxContext}); got {string.Join(", ", gears)}");
        if (gears[0] < o.VerifyK + 1)
            throw new ArgumentException($"gear {gears[0]} is smaller than a verify call (K + 1 = {o.VerifyK + 1})");

        var variants = o.LogitsVariants ? new[] { GraphVariant.Greedy, GraphVariant.Logits } : [GraphVariant.Greedy];
        var specs = new List<GraphSpec>();
        foreach (var gear in gears)
        {
            foreach (var variant in variants)
            {
                if (gear >= o.PrefillChunk)
                    specs.Add(new GraphSpec(GraphKind.Prefill, variant, gear, o.PrefillChunk));
                specs.Add(new GraphSpec(GraphKind.Decode, variant, gear, 1));
                specs.Add(new GraphSpec(GraphKind.Verify, variant, gear, o.VerifyK + 1));
            }
        }
        return new ExportPlan(maxContext, o.PrefillChunk, o.VerifyK, gears, specs);
    }
}
