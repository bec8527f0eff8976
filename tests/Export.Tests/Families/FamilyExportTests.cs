using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Export.Checkpoint;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Families;

/// <summary>What the family features change in an export: the sliding window bounds the context, every EOS id reaches the engine.</summary>
public sealed class FamilyExportTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("family-export");

    public void Dispose() => TempDirectory.Delete(_root);

    private ExportOptions Options(string checkpoint, string name, int? maxContext = null) => new()
    {
        CheckpointDirectory = checkpoint,
        OutputDirectory = Path.Combine(_root, name),
        ModelName = name,
        MaxContext = maxContext,
        PrefillChunk = 8,
        Gears = null,
    };

    private TinyCheckpoint Mistral(int window) => TinyCheckpoint.Write(Path.Combine(_root, "mistral"), new TinyCheckpointOptions
    {
        Architecture = "MistralForCausalLM", ModelType = "mistral", MaxPositions = 256,
        Config = new Dictionary<string, object?> { ["sliding_window"] = window },
    });

    [Fact]
    public void Export_MistralWithoutMaxContext_StopsAtTheSlidingWindow()
    {
        var tiny = Mistral(128);

        var result = BundleExporter.Export(Options(tiny.Directory, "default"));

        Assert.Equal(128, result.Manifest.MaxContext);
    }

    [Fact]
    public void Export_MaxContextBeyondTheSlidingWindow_ExportsTheLongerContext_MaskedToTheWindow()
    {
        var tiny = Mistral(128);

        var result = BundleExporter.Export(Options(tiny.Directory, "long", maxContext: 256));

        // The window mask is what makes it the same model past 128 positions (FamilyParityTests checks the numbers).
        Assert.Equal(256, result.Manifest.MaxContext);
    }

    /// <summary>
    /// The model's own greedy continuation decides the test's EOS: its third token is declared an EOS id in
    /// generation_config.json, so generation must stop there even though the tokenizer's EOS is a different id.
    /// </summary>
    [Fact]
    public void Generate_EosListInGenerationConfig_StopsOnAnyOfThem()
    {
        var tiny = TinyCheckpoint.Write(Path.Combine(_root, "llama"), new TinyCheckpointOptions { MaxPositions = 128 });
        var prompt = Enumerable.Range(0, 10).Select(i => TinyTokenizer.SpecialTokens.Length + 7 * i).ToArray();
        var reference = tiny.Reference();
        var continuation = prompt.ToList();
        for (var i = 0; i < 3; i++)
            continuation.Add(reference.Run(continuation).ArgMax(continuation.Count - 1));
        var stop = continuation[^1];
        Assert.DoesNotContain(stop, continuation[prompt.Length..^1]);   // the stop must be the first occurrence
        File.WriteAllText(Path.Combine(tiny.Directory, GenerationConfig.FileName), $$"""{"bos_token_id": 0, "eos_token_id": [1, {{stop}}]}""");

        var bundle = BundleExporter.Export(Options(tiny.Directory, "eos"));
        Assert.Equal([1, stop], bundle.Manifest.Tokenizer.EosIds!);
        Assert.Equal(1, bundle.Manifest.Tokenizer.EosId);

        using var device = Device.Open();
        using var model = LanguageModel.Load(device, ModelBundle.Load(bundle.BundleDirectory));
        var result = Generator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 10 });

        Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
        Assert.Equal(continuation[prompt.Length..^1], result.Tokens);
    }
}
