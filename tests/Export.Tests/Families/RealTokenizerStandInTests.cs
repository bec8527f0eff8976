using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Tests.Tokenization;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Families;

/// <summary>
/// A checkpoint as users have it, end to end: the real tokenizer files and full vocabulary (Qwen3: 151,936 rows;
/// Qwen2.5: 151,936; Llama 3.1: 128,256; Llama 2 / TinyLlama: 32,000; Mistral and openPangu-Embedded at their full vocabularies with the nearest real tokenizer on the registries), config.json and generation_config.json with the real token ids, a small random-weight body.
/// Exported, loaded by the engine, prompted with text: the prompt encodes to the reference tokenizer's ids, greedy
/// generation follows the float64 reference, and bundle.json carries every EOS id.
/// </summary>
public sealed class RealTokenizerStandInTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = TempDirectory.Create("real-tokenizer");

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public void Qwen3_RealTokenizerAndVocabulary_GeneratesAsTheReference() => Run("qwen3", new TinyCheckpointOptions
    {
        Architecture = "Qwen3ForCausalLM", ModelType = "qwen3", Hidden = 64, Heads = 4, KvHeads = 2, HeadDim = 32,
        VocabSize = 151936, TieWordEmbeddings = true, RopeTheta = 1000000.0, RmsNormEps = 1e-6, MaxPositions = 40960, DType = "BF16",
        Config = new Dictionary<string, object?> { ["bos_token_id"] = 151643, ["eos_token_id"] = 151645 },
    }, """{"bos_token_id": 151643, "eos_token_id": [151645, 151643]}""", [151645, 151643]);

    [Fact]
    public void Llama31_RealTokenizerAndVocabulary_GeneratesAsTheReference() => Run("llama3_1", new TinyCheckpointOptions
    {
        Hidden = 64, Heads = 4, KvHeads = 2, VocabSize = 128256, TieWordEmbeddings = false, RopeTheta = 500000.0, MaxPositions = 131072, DType = "BF16",
        Config = new Dictionary<string, object?>
        {
            ["bos_token_id"] = 128000, ["eos_token_id"] = new[] { 128001, 128008, 128009 },
            ["rope_scaling"] = new Dictionary<string, object>
            {
                ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 8192, ["rope_type"] = "llama3",
            },
        },
    }, """{"bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009]}""", [128001, 128008, 128009]);

    /// <summary>TinyLlama-1.1B's configuration (Llama 2's SentencePiece-style tokenizer.json, 32,000 ids, untied head), a small body.</summary>
    [Fact]
    public void TinyLlama_RealLlama2TokenizerAndVocabulary_GeneratesAsTheReference() => Run("llama2", new TinyCheckpointOptions
    {
        Hidden = 64, Heads = 4, KvHeads = 1, VocabSize = 32000, TieWordEmbeddings = false, RopeTheta = 10000.0, RmsNormEps = 1e-5, MaxPositions = 2048, DType = "F32",
        Config = new Dictionary<string, object?> { ["bos_token_id"] = 1, ["eos_token_id"] = 2 },
    }, """{"bos_token_id": 1, "eos_token_id": 2, "max_length": 2048, "pad_token_id": 0}""", [2]);

    /// <summary>Qwen2.5-1.5B-Instruct's configuration (q/k/v biases, tied head, 151,936 rows) with its real tokenizer.json.</summary>
    [Fact]
    public void Qwen25_RealTokenizerAndVocabulary_GeneratesAsTheReference() => Run("qwen2_5", new TinyCheckpointOptions
    {
        Architecture = "Qwen2ForCausalLM", ModelType = "qwen2", Hidden = 64, Heads = 4, KvHeads = 2, VocabSize = 151936, TieWordEmbeddings = true,
        RopeTheta = 1000000.0, RmsNormEps = 1e-6, MaxPositions = 32768, DType = "BF16",
        Config = new Dictionary<string, object?> { ["bos_token_id"] = 151643, ["eos_token_id"] = 151645, ["sliding_window"] = 32768, ["use_sliding_window"] = false },
    }, """{"bos_token_id": 151643, "eos_token_id": [151645, 151643], "pad_token_id": 151643}""", [151645, 151643], "qwen2.5");

    /// <summary>
    /// Mistral-7B-v0.1's configuration (sliding window 4096, 32,000 rows, untied head) with Llama 2's tokenizer.json:
    /// Mistral's own is in no package on the registries; Llama 2's is the same kind (SentencePiece-style BPE, byte fallback, 32,000 ids).
    /// </summary>
    [Fact]
    public void Mistral_FullVocabularyWithLlama2Tokenizer_GeneratesAsTheReference() => Run("llama2", new TinyCheckpointOptions
    {
        Architecture = "MistralForCausalLM", ModelType = "mistral", Hidden = 64, Heads = 4, KvHeads = 1, VocabSize = 32000, TieWordEmbeddings = false,
        RopeTheta = 10000.0, RmsNormEps = 1e-5, MaxPositions = 32768, DType = "BF16",
        Config = new Dictionary<string, object?> { ["bos_token_id"] = 1, ["eos_token_id"] = 2, ["sliding_window"] = 4096 },
    }, """{"bos_token_id": 1, "eos_token_id": 2}""", [2], "mistral");

    /// <summary>
    /// openPangu-Embedded-1B's configuration (q/k/v/o biases, tied head, 153,376 rows) with Llama 2's tokenizer.json and
    /// its special ids: openPangu's own tokenizer is in no package on the registries; Llama 2's is the same kind
    /// (SentencePiece-style BPE with byte fallback) and its ids all fall inside the table.
    /// </summary>
    [Fact]
    public void PanguEmbedded_FullVocabularyWithLlama2Tokenizer_GeneratesAsTheReference() => Run("llama2", new TinyCheckpointOptions
    {
        Architecture = "PanguEmbeddedForCausalLM", ModelType = "PanguEmbedded", Hidden = 64, Heads = 4, KvHeads = 2, VocabSize = 153376, TieWordEmbeddings = true,
        RopeTheta = 4000000.0, RmsNormEps = 1e-5, MaxPositions = 32768, DType = "BF16",
        Config = new Dictionary<string, object?> { ["bias"] = true, ["bos_token_id"] = 1, ["eos_token_id"] = 2 },
    }, """{"bos_token_id": 1, "eos_token_id": 2}""", [2], "openpangu-embedded");

    private void Run(string tokenizer, TinyCheckpointOptions options, string generationConfig, int[] configuredEos, string? name = null)
    {
        name ??= tokenizer;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var checkpoint = TinyCheckpoint.Write(Path.Combine(_root, "checkpoint"), options with { TokenizerDirectory = ReferenceTokenizers.ModelDirectory(tokenizer) });
        File.WriteAllText(Path.Combine(checkpoint.Directory, GenerationConfig.FileName), generationConfig);
        var export = BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = checkpoint.Directory, OutputDirectory = Path.Combine(_root, "bundle"), ModelName = name,
            MaxContext = 64, PrefillChunk = 8, Gears = [32, 64],
        });
        var written = clock.Elapsed;
        Assert.Equal(options.VocabSize, export.Manifest.Model.VocabSize);
        Assert.All(configuredEos, id => Assert.Contains(id, export.Manifest.Tokenizer.EosIds!));

        var text = ReferenceTokenizers.Load(tokenizer).Cases.First(c => c.Ids.Length >= 8);
        using var device = Device.Open();
        using var model = LanguageModel.Load(device, ModelBundle.Load(export.BundleDirectory));
        var loaded = clock.Elapsed;
        var prompt = model.Tokenizer.Encode(text.Text);
        Assert.Equal(text.Ids, prompt);

        var result = Generator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 4 });
        var sequence = prompt.Concat(result.Tokens).ToList();
        var reference = checkpoint.Reference().Run(sequence);
        for (var i = 0; i < result.Tokens.Length; i++)
            Assert.Equal(reference.ArgMax(prompt.Length - 1 + i), result.Tokens[i]);
        Assert.Equal(4, result.Tokens.Length);
        output.WriteLine($"{name} ({tokenizer} tokenizer): checkpoint + export {written.TotalSeconds:F1} s (export alone {export.Elapsed.TotalSeconds:F1} s), " +
            $"load {(loaded - written).TotalSeconds:F1} s, generate + reference {(clock.Elapsed - loaded).TotalSeconds:F1} s");
    }
}
