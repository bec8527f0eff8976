using System.Text.Json;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Checkpoint;

namespace AscendAio.TestSupport;

/// <summary>Shape, family and storage of a tiny random-weight checkpoint.</summary>
public sealed record TinyCheckpointOptions
{
    public string Architecture { get; init; } = "LlamaForCausalLM";
    public string ModelType { get; init; } = "llama";

    /// <summary>Written as config.json's head_dim when set (Qwen3: head_dim ≠ hidden / heads).</summary>
    public int? HeadDim { get; init; }

    /// <summary>Copy a real tokenizer's files from here instead of writing the tiny byte-level one (then <see cref="VocabSize"/> is required).</summary>
    public string? TokenizerDirectory { get; init; }

    /// <summary>config.json's vocab_size when larger than the tokenizer's (rows no text encodes to).</summary>
    public int? VocabSize { get; init; }

    /// <summary>Further config.json fields (rope_scaling, bias flags, sliding_window, eos_token_id lists, ...), written last.</summary>
    public IReadOnlyDictionary<string, object?> Config { get; init; } = new Dictionary<string, object?>();

    public int Hidden { get; init; } = 32;
    public int Intermediate { get; init; } = 64;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int MaxPositions { get; init; } = 64;
    public bool TieWordEmbeddings { get; init; }
    public string DType { get; init; } = "F32";
    public double RopeTheta { get; init; } = 10000.0;
    public double RmsNormEps { get; init; } = 1e-5;
    public int Seed { get; init; } = 1234;
}

/// <summary>
/// Writes a tiny checkpoint of any supported family (config.json, model.safetensors, byte-level BPE tokenizer files)
/// with seeded random weights, and keeps those weights (as stored, i.e. rounded to the storage dtype) for the
/// reference forward. The tensors written are the ones the family's config implies (biases, q/k norms included).
/// </summary>
public sealed class TinyCheckpoint
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private TinyCheckpoint(string directory, LlamaConfig config, IReadOnlyDictionary<string, float[]> weights)
    {
        Directory = directory;
        Config = config;
        Weights = weights;
    }

    public string Directory { get; }
    public LlamaConfig Config { get; }
    public IReadOnlyDictionary<string, float[]> Weights { get; }

    public ReferenceForward Reference() => new(Config, Weights);

    public static TinyCheckpoint Write(string directory, TinyCheckpointOptions? options = null)
    {
        var o = options ?? new TinyCheckpointOptions();
        System.IO.Directory.CreateDirectory(directory);
        var vocab = o.TokenizerDirectory is { } source ? CopyTokenizer(source, directory, o.VocabSize)
            : Math.Max(TinyTokenizer.Write(directory), o.VocabSize ?? 0);
        var configJson = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { o.Architecture },
            ["model_type"] = o.ModelType,
            ["hidden_size"] = o.Hidden,
            ["intermediate_size"] = o.Intermediate,
            ["num_hidden_layers"] = o.Layers,
            ["num_attention_heads"] = o.Heads,
            ["num_key_value_heads"] = o.KvHeads,
            ["vocab_size"] = vocab,
            ["max_position_embeddings"] = o.MaxPositions,
            ["rms_norm_eps"] = o.RmsNormEps,
            ["rope_theta"] = o.RopeTheta,
            ["tie_word_embeddings"] = o.TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["bos_token_id"] = 0,
            ["eos_token_id"] = 1,
            ["torch_dtype"] = o.DType switch { "F16" => "float16", "BF16" => "bfloat16", _ => "float32" },
        };
        if (o.HeadDim is { } headDim)
            configJson["head_dim"] = headDim;
        foreach (var (field, value) in o.Config)
            configJson[field] = value;
        var configText = JsonSerializer.Serialize(configJson, Indented);
        File.WriteAllText(Path.Combine(directory, LlamaConfig.FileName), configText);
        using var doc = JsonDocument.Parse(configText);
        var config = LlamaConfig.Parse(doc.RootElement);

        var random = new Random(o.Seed);
        var tensors = new List<(string, long[], float[])>();
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in LlamaTensorNames.Expected(config))
        {
            var isBias = name.EndsWith(".bias", StringComparison.Ordinal);
            var isNorm = shape.Length == 1 && !isBias;
            var isEmbedding = name == LlamaTensorNames.Embedding;
            var scale = isNorm ? 0.1 : isBias ? 0.5 : isEmbedding ? 1.0 : 1.0 / Math.Sqrt(shape[1]);
            var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
            for (var i = 0; i < data.Length; i++)
            {
                var noise = (float)(Gaussian(random) * scale);
                data[i] = SafetensorsWriter.RoundTrip(isNorm ? 1f + noise : noise, o.DType);
            }
            tensors.Add((name, shape, data));
            weights[name] = data;
        }
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors, o.DType);
        return new TinyCheckpoint(directory, config, weights);
    }

    /// <summary>Copies the tokenizer files; the vocabulary size is the real model's (given: loading a large tokenizer.json takes seconds).</summary>
    private static int CopyTokenizer(string source, string directory, int? vocabSize)
    {
        foreach (var name in BundleTokenizer.FilesOf(source))
            File.Copy(Path.Combine(source, name), Path.Combine(directory, name), overwrite: true);
        return vocabSize ?? throw new ArgumentException("a copied tokenizer needs the model's VocabSize");
    }

    private static double Gaussian(Random r)
    {
        var u1 = 1.0 - r.NextDouble();
        var u2 = r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
