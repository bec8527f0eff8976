using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AscendAio.Engine.Tokenization;

namespace AscendAio.Export.Checkpoint;

/// <summary>Shape of a random-weight Llama checkpoint (benchmarks: a model of a chosen size without training).</summary>
public sealed record RandomCheckpointOptions
{
    public int Hidden { get; init; } = 2048;
    public int Intermediate { get; init; } = 5632;
    public int Layers { get; init; } = 6;
    public int Heads { get; init; } = 16;
    public int KvHeads { get; init; } = 4;
    public int VocabSize { get; init; } = 4096;
    public int MaxPositions { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }
    public ulong Seed { get; init; } = 1234;

    /// <summary>Copy the tokenizer files from here (e.g. a reference model); null writes a byte-level vocabulary without merges.</summary>
    public string? TokenizerDirectory { get; init; }

    /// <summary>Parameters of a model of this shape (tensors of <see cref="LlamaTensorNames.Expected"/>).</summary>
    public long Parameters
    {
        get
        {
            long d = Hidden, f = Intermediate, hd = Hidden / Heads, q = Heads * hd, kv = KvHeads * hd;
            var layer = 2 * d + q * d + 2 * kv * d + d * q + 3 * f * d;
            return VocabSize * d * (TieWordEmbeddings ? 1 : 2) + Layers * layer + d;
        }
    }
}

/// <summary>
/// Writes a Hugging Face style Llama checkpoint (config.json, model.safetensors F32, byte-level BPE tokenizer) with
/// seeded random weights, streamed tensor by tensor so a multi-gigabyte model never sits in managed memory at once.
/// Weights are uniform with the variance of N(0, 1/fan_in) (norms around 1), enough to keep activations finite.
/// </summary>
public static class RandomCheckpoint
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static readonly string[] SpecialTokens =
        ["<|bos|>", "<|eos|>", "<|pad|>", "<|probe|>", "<|answer|>", "<|code|>", "<|qa|>", "<|math|>"];

    public static LlamaConfig Write(string directory, RandomCheckpointOptions options)
    {
        if (options.Hidden % options.Heads != 0 || options.Heads % options.KvHeads != 0)
            throw new ArgumentException($"hidden {options.Hidden} must be a multiple of heads {options.Heads}, and heads of kv heads {options.KvHeads}");
        Directory.CreateDirectory(directory);
        var tokenizerVocab = options.TokenizerDirectory is { } source ? CopyTokenizer(source, directory) : WriteByteLevelTokenizer(directory);
        var vocab = Math.Max(options.VocabSize, tokenizerVocab);
        var configJson = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "LlamaForCausalLM" },
            ["model_type"] = "llama",
            ["hidden_size"] = options.Hidden,
            ["intermediate_size"] = options.Intermediate,
            ["num_hidden_layers"] = options.Layers,
            ["num_attention_heads"] = options.Heads,
            ["num_key_value_heads"] = options.KvHeads,
            ["vocab_size"] = vocab,
            ["max_position_embeddings"] = options.MaxPositions,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["tie_word_embeddings"] = options.TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["bos_token_id"] = 0,
            ["eos_token_id"] = 1,
            ["torch_dtype"] = "float32",
        };
        var configText = JsonSerializer.Serialize(configJson, Indented);
        File.WriteAllText(Path.Combine(directory, LlamaConfig.FileName), configText);
        using var doc = JsonDocument.Parse(configText);
        var config = LlamaConfig.Parse(doc.RootElement);
        WriteSafetensors(Path.Combine(directory, "model.safetensors"), LlamaTensorNames.Expected(config).ToList(), options.Seed);
        return config;
    }

    private static void WriteSafetensors(string path, IReadOnlyList<(string Name, long[] Shape)> tensors, ulong seed)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            var bytes = shape.Aggregate(1L, (a, d) => a * d) * sizeof(float);
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
        stream.Write(lengthBytes);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');

        var chunk = new float[1 << 20];
        var state = seed | 1;
        foreach (var (name, shape) in tensors)
        {
            var isNorm = shape.Length == 1;
            // Uniform(-a, a) has variance a²/3: a = sqrt(3 / fan_in) gives N(0, 1/fan_in)'s variance.
            var amplitude = isNorm ? 0.1f : name == LlamaTensorNames.Embedding ? 1.7f : (float)Math.Sqrt(3.0 / shape[1]);
            var center = isNorm ? 1f : 0f;
            var remaining = shape.Aggregate(1L, (a, d) => a * d);
            while (remaining > 0)
            {
                var n = (int)Math.Min(remaining, chunk.Length);
                for (var i = 0; i < n; i++)
                {
                    // xorshift64*: fast, seeded, plenty for weights nobody trains.
                    state ^= state >> 12;
                    state ^= state << 25;
                    state ^= state >> 27;
                    var bits = (state * 0x2545F4914F6CDD1DUL) >> 40;          // 24 random bits
                    chunk[i] = center + amplitude * (bits * (2f / (1 << 24)) - 1f);
                }
                stream.Write(MemoryMarshal.AsBytes(chunk.AsSpan(0, n)));
                remaining -= n;
            }
        }
    }

    private static int CopyTokenizer(string source, string directory)
    {
        foreach (var name in BundleTokenizer.FilesOf(source))
            File.Copy(Path.Combine(source, name), Path.Combine(directory, name), overwrite: true);
        return BundleTokenizer.Load(directory).VocabSize;
    }

    /// <summary>Special tokens, then the 256 byte symbols; no merges (every byte is one token).</summary>
    private static int WriteByteLevelTokenizer(string directory)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in SpecialTokens)
            vocab[token] = vocab.Count;
        foreach (var symbol in ByteLevelAlphabet.Symbols())
            vocab[symbol] = vocab.Count;
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(directory, "merges.txt"), "#version: 0.2\n");
        var decoder = SpecialTokens.Select((t, i) => (t, i)).ToDictionary(p => p.i.ToString(), p => new { content = p.t, special = true });
        var config = new Dictionary<string, object>
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["bos_token"] = "<|bos|>",
            ["eos_token"] = "<|eos|>",
            ["pad_token"] = "<|pad|>",
            ["additional_special_tokens"] = SpecialTokens[3..],
            ["added_tokens_decoder"] = decoder,
        };
        File.WriteAllText(Path.Combine(directory, TokenizerConfig.FileName), JsonSerializer.Serialize(config, Indented));
        return vocab.Count;
    }
}
