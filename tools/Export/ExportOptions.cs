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

    /// <summary>Tokens per prefill call (C); defaults to <see cref="DefaultPrefillChunk"/> of the max context.</summary>
    public int? PrefillChunk { get; init; }

    /// <summary>Draft tokens per verify call (K); verify graphs take K + 1 tokens.</summary>
    public int VerifyK { get; init; } = 4;

    /// <summary>KV window gears (cache capacities); defaults to <see cref="DefaultGears"/>. The largest must equal the max context.</summary>
    public IReadOnlyList<int>? Gears { get; init; }

    public int Opset { get; init; } = 14;

    /// <summary>
    /// Prefill tokens per call for a model of <paramref name="maxContext"/> positions: max context / 16 as a power of
    /// two, at least 64 and at most 512, so a full-context prompt takes at most 16 calls up to 8K positions and 64 at
    /// 32K (a fixed 64 took 512 calls, each streaming every weight). 512 tokens is past the point where a call on a
    /// 910B is bound by compute rather than by streaming the weights (about 200 tokens at 2 bytes per weight: ~300
    /// FP16 TFLOP/s over ~1.6 TB/s of HBM, 2 FLOPs per weight per token), so a larger chunk only adds padding and
    /// activation memory. Short contexts keep 64: padding a 20-token prompt to a large chunk costs the CPU device.
    /// </summary>
    public static int DefaultPrefillChunk(int maxContext)
    {
        var chunk = 64;
        while (chunk < 512 && chunk * 2 <= maxContext / 16)
            chunk *= 2;
        return Math.Min(chunk, maxContext);
    }

    /// <summary>
    /// The max context and every 2x smaller size down to 128 (at least one prefill chunk): 512 → 128, 256, 512;
    /// 2048 → 128 … 2048. Twice apart, a cache is never more than twice the context it holds.
    /// </summary>
    public static IReadOnlyList<int> DefaultGears(int maxContext, int prefillChunk)
    {
        var gears = new List<int> { maxContext };
        for (var g = maxContext / 2; g >= Math.Max(128, prefillChunk); g /= 2)
            gears.Add(g);
        gears.Sort();
        return gears;
    }
}
