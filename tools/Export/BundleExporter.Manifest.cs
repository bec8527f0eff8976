using AscendAio.Engine.Bundles;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;

namespace AscendAio.Export;

public static partial class BundleExporter
{
    /// <summary>Category names and the special tokens that mark them (the probe's answer set).</summary>
    public static readonly IReadOnlyDictionary<string, string> CategoryTokenTexts = new Dictionary<string, string>
    {
        ["code"] = "<|code|>", ["qa"] = "<|qa|>", ["math"] = "<|math|>",
    };

    private static BundleManifest BuildManifest(ExportOptions o, LlamaConfig c, BundleTokenizer tokenizer,
        IReadOnlyList<string> tokenizerFiles, ExportPlan plan, ModelWeights weights, List<BundleGraph> graphs)
    {
        var bytesPerPosition = (long)c.Layers * 2 * c.KvHeads * c.HeadDim * sizeof(float);
        return new BundleManifest
        {
            ModelName = o.ModelName ?? new DirectoryInfo(o.CheckpointDirectory).Name,
            Model = new BundleModel
            {
                Architecture = c.Architecture,
                HiddenSize = c.HiddenSize,
                IntermediateSize = c.IntermediateSize,
                Layers = c.Layers,
                Heads = c.Heads,
                KvHeads = c.KvHeads,
                HeadDim = c.HeadDim,
                VocabSize = c.VocabSize,
                RmsNormEps = c.RmsNormEps,
                RopeTheta = c.RopeTheta,
                TieWordEmbeddings = c.TieWordEmbeddings,
            },
            Tokenizer = new BundleTokenizerInfo
            {
                Kind = tokenizer.Kind == TokenizerKind.ByteLevelBpe ? "byte_level_bpe" : "sentence_piece",
                Files = tokenizerFiles,
                VocabSize = tokenizer.VocabSize,
                BosId = tokenizer.BosId ?? c.BosTokenId,
                EosId = tokenizer.EosId ?? c.EosTokenId,
                PadId = tokenizer.PadId,
                SpecialTokens = tokenizer.SpecialTokens,
            },
            Templates = Templates(tokenizer),
            CategoryTokens = CategoryTokenTexts
                .Where(p => tokenizer.TokenToId(p.Value) is not null)
                .ToDictionary(p => p.Key, p => tokenizer.TokenToId(p.Value)!.Value),
            MaxContext = plan.MaxContext,
            PrefillChunk = plan.PrefillChunk,
            VerifyK = plan.VerifyK,
            Gears = plan.Gears,
            OnnxOpset = o.Opset,
            Weights = new BundleWeights
            {
                File = weights.FileName,
                Bytes = weights.DataBytes,
                Quantization = weights.Quantization.ManifestName(),
                Alignment = ExternalWeightFile.Alignment,
            },
            KvLayout = new KvLayout
            {
                Axes = ["position", "layer", "kv", "kv_head", "head_dim"],
                Shape = [plan.MaxContext, c.Layers, 2, c.KvHeads, c.HeadDim],
                DType = ElementType.Float32.ManifestName(),
                BytesPerPosition = bytesPerPosition,
                KeysRotated = true,
                Description =
                    "Cache buffer (max_context, layers, 2, kv_heads, head_dim) float32, position outermost; kv axis 0 = key " +
                    "(rotary applied), 1 = value. A gear-G graph's input 'kv' (G, ...) binds to the first G*bytes_per_position " +
                    "bytes of the cache (no copy); 'pos' = number of valid entries; the graph reads slots < pos and places its T " +
                    "new entries at slots pos..pos+T-1 itself. Output 'kv_new' (T, ...) rows are the new entries for positions " +
                    "pos..pos+T-1: commit the first n accepted rows with one device-to-device copy of n*bytes_per_position bytes " +
                    "to byte offset pos*bytes_per_position. Choose the smallest gear >= pos + T.",
            },
            Graphs = graphs,
        };
    }

    private static BundleTemplates Templates(BundleTokenizer tokenizer)
    {
        bool Has(string token) => tokenizer.SpecialTokens.ContainsKey(token);
        var bos = Has("<|bos|>") ? "<|bos|>" : tokenizer.BosId is { } id ? tokenizer.IdToToken(id) ?? "" : "";
        return new BundleTemplates
        {
            Probe = Has("<|probe|>") ? $"{bos}{BundleTemplates.RequestPlaceholder}<|probe|>" : null,
            Generation = Has("<|answer|>") ? $"{bos}{BundleTemplates.RequestPlaceholder}<|answer|>" : $"{bos}{BundleTemplates.RequestPlaceholder}",
        };
    }
}
