using AscendAio.Export.Graphs;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Parity;

/// <summary>
/// One tiny random-weight checkpoint (2 layers, GQA 4 heads / 2 kv heads, untied head, 64 positions) exported once
/// per test class, as float32 and as W8A16, with chunk C = 8, verify K = 4 and gears 16 and 64.
/// </summary>
public sealed class TinyBundleFixture : IDisposable
{
    public const int Chunk = 8;
    public const int VerifyK = 4;
    public static readonly int[] Gears = [16, 64];

    public TinyBundleFixture()
    {
        Root = TempDirectory.Create("tiny-bundle");
        Checkpoint = TinyCheckpoint.Write(Path.Combine(Root, "checkpoint"));
        Reference = Checkpoint.Reference();
        Float = Export(QuantizationMode.None, "bundle");
        W8A16 = Export(QuantizationMode.W8A16, "bundle-w8a16");
    }

    public string Root { get; }
    public TinyCheckpoint Checkpoint { get; }
    public ReferenceForward Reference { get; }
    public ExportResult Float { get; }
    public ExportResult W8A16 { get; }

    public ExportOptions Options(QuantizationMode quantization, string outputName) => new()
    {
        CheckpointDirectory = Checkpoint.Directory,
        OutputDirectory = Path.Combine(Root, outputName),
        ModelName = "tiny",
        Quantization = quantization,
        PrefillChunk = Chunk,
        VerifyK = VerifyK,
        Gears = Gears,
    };

    public void Dispose() => TempDirectory.Delete(Root);

    private ExportResult Export(QuantizationMode quantization, string outputName) => BundleExporter.Export(Options(quantization, outputName));
}
