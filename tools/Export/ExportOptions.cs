using AscendAio.Engine.Bundles;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;

namespace AscendAio.Export;

/// <summary>What to export and how; validated by <see cref="BundleExporter"/> against the checkpoint.</summary>
public sealed record ExportOptions
{
    public required string CheckpointDirectory { get; init; }
    public required string OutputDirectory { get; init; }

    /// <summary>Bundle model name; defaults to the checkpoint directory's name.</summary>
    public string? ModelName { get; init; }

    public QuantizationMode Quantization { get; init; } = QuantizationMode.None;

    /// <summary>Type of weights, activations and the KV cache: float32 (default; what the CPU device runs fastest), float16 or bfloat16.</summary>
    public ElementType DType { get; init; } = ElementType.Float32;

    /// <summary>Cache capacity in positions; defaults to the config's max_position_embeddings.</summary>
    public int? MaxContext { get; init; }

    /// <summary>Tokens per prefill call (C); defaults to <see cref="KvGears.DefaultPrefillChunk"/> of the max context.</summary>
    public int? PrefillChunk { get; init; }

    /// <summary>
    /// Rows per decode and verify call the graph is compiled for (batch gears; prefill stays batch 1). Default 1: the
    /// engine runs batch 1 until its step scheduler batches sequences.
    /// </summary>
    public IReadOnlyList<int> BatchGears { get; init; } = [1];

    /// <summary>Draft tokens per verify call (K); verify graphs take K + 1 tokens.</summary>
    public int VerifyK { get; init; } = 4;

    /// <summary>KV window gears (cache capacities); defaults to <see cref="KvGears.Default"/>. The largest must equal the max context.</summary>
    public IReadOnlyList<int>? Gears { get; init; }

    public int Opset { get; init; } = 14;
}
