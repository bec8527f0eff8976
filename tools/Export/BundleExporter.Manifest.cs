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
        IReadOnlyList<string> tokenizerFiles, string? chatTemplateFile, ExportPlan plan, ModelWeights weights, BundleGraph graph)
    {
        var categoryTokens = CategoryTokenTexts
            .Where(p => tokenizer.TokenToId(p.Value) is not null)
            .ToDictionary(p => p.Key, p => tokenizer.TokenToId(p.Value)!.Value);
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
            Templates = Templates(tokenizer, chatTemplateFile),
            CategoryTokens = categoryTokens,
            // An instruct model without category tokens is probed through its chat template with these answer words.
            CategoryLabels = categoryTokens.Count == 0 && chatTemplateFile is not null ? BundleManifest.DefaultCategoryLabels : null,
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
            DType = weights.DType.ManifestName(),
            KvLayout = new KvLayout
            {
                Axes = ["kv", "layer", "kv_head", "capacity", "head_dim"],
                DType = weights.DType.ManifestName(),
                ElementBytes = weights.DType.SizeOf(),
                Layers = c.Layers,
                KvHeads = c.KvHeads,
                HeadDim = c.HeadDim,
                KeysRotated = true,
                Description =
                    "One buffer per sequence (2, layers, kv_heads, capacity, head_dim): keys block (rotary applied), then " +
                    "values block; capacity is a gear. The blocks bind in place to inputs past_k / past_v (layers, 1, " +
                    "kv_heads, window = capacity, head_dim); 'pos' = valid entries, slots >= pos are masked. Output kv_new " +
                    "(layers, 2, batch, kv_heads, tokens, head_dim): commit n accepted tokens by copying, for each (k|v, layer, " +
                    "kv_head), n*head_dim elements to slot pos of that (capacity, head_dim) run. Grow to the next gear before " +
                    "pos + tokens exceeds the capacity.",
            },
            Graph = graph,
        };
    }

    /// <summary>Where the checkpoint keeps its chat template: chat_template.jinja (preferred, as transformers reads it), else tokenizer_config.json's chat_template; null when none.</summary>
    internal static string? ChatTemplateFileOf(string checkpointDirectory)
    {
        if (File.Exists(Path.Combine(checkpointDirectory, BundleTokenizer.ChatTemplateFile)))
            return BundleTokenizer.ChatTemplateFile;
        var config = Path.Combine(checkpointDirectory, TokenizerConfig.FileName);
        if (!File.Exists(config))
            return null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(config));
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("chat_template", out var t) && t.ValueKind != System.Text.Json.JsonValueKind.Null
                ? TokenizerConfig.FileName
                : null;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{config}: not valid JSON ({e.Message})", e);
        }
    }

    private static BundleTemplates Templates(BundleTokenizer tokenizer, string? chatTemplateFile)
    {
        bool Has(string token) => tokenizer.SpecialTokens.ContainsKey(token);
        var bos = Has("<|bos|>") ? "<|bos|>" : tokenizer.BosId is { } id ? tokenizer.IdToToken(id) ?? "" : "";
        return new BundleTemplates
        {
            Probe = Has("<|probe|>") ? $"{bos}{BundleTemplates.RequestPlaceholder}<|probe|>" : null,
            Generation = Has("<|answer|>") ? $"{bos}{BundleTemplates.RequestPlaceholder}<|answer|>" : $"{bos}{BundleTemplates.RequestPlaceholder}",
            Chat = chatTemplateFile,
            ProbeInstruction = Has("<|probe|>") || chatTemplateFile is null ? null : BundleTemplates.DefaultProbeInstruction,
        };
    }
}
