using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.Export.Checkpoint;
using BenchmarkDotNet.Attributes;

namespace AscendAio.Bench;

/// <summary>
/// GenerationSession.Step on a tiny random model (hidden 64, 2 layers, vocab 264) on the CPU device: one greedy decode
/// step = token upload, one decode graph, KV commit, id read-back, strategy bookkeeping. The graph is tiny, so this is
/// close to the engine's per-step host cost plus the device's fixed cost per execute. Each invocation runs
/// <see cref="Steps"/> steps of a fresh session (its prefill runs in the iteration setup).
/// </summary>
public class GenerationStepBenchmarks
{
    private const int Steps = 64;
    private string _root = "";
    private Device _device = null!;
    private LanguageModel _model = null!;
    private GenerationSession? _session;
    private readonly int[] _prompt = [0, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 4];

    [Params("plain", "pld")]
    public string Strategy { get; set; } = "plain";

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), $"aio-bench-step-{Environment.ProcessId}");
        var checkpoint = Path.Combine(_root, "checkpoint");
        var bundle = Path.Combine(_root, "bundle");
        RandomBundles.Ensure(checkpoint, new RandomCheckpointOptions { Hidden = 64, Intermediate = 128, Layers = 2, Heads = 4, KvHeads = 2, VocabSize = 264, MaxPositions = 128 },
            [new ExportOptions { CheckpointDirectory = checkpoint, OutputDirectory = bundle, PrefillChunk = 16, Gears = [128] }], _ => { });
        _device = Device.Open();
        _model = LanguageModel.Load(_device, ModelBundle.Load(bundle), new LanguageModelOptions());
    }

    [IterationSetup]
    public void StartSession()
    {
        DecodingStrategy strategy = Strategy == "pld" ? new PromptLookupDecoding() : DecodingStrategy.Plain;
        _session = GenerationSession.Start(_model, _prompt, new GenerationOptions { MaxNewTokens = Steps + 2, Strategy = strategy });
        _session.Step();   // the prefill's token
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int Step()
    {
        var produced = 0;
        for (var i = 0; i < Steps && _session!.Step(); i++)
            produced += _session.NewTokens.Length;
        return produced;
    }

    [IterationCleanup]
    public void EndSession() => _session?.Dispose();

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _device.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
