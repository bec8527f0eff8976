using System.Text.Json.Serialization;

namespace AscendAio.Engine.Bundles;

/// <summary>The rows and new tokens of one graph call, and the KV window it attends to: one atc dynamic-dims gear.</summary>
public readonly record struct GraphProfile(int Batch, int Tokens, int Window)
{
    public override string ToString() => $"batch {Batch}, tokens {Tokens}, window {Window}";
}

/// <summary>
/// A graph input or output: name, element type (float32, int64, ...) and shape. A dimension is a number, or one of
/// the symbols <see cref="Batch"/>, <see cref="Tokens"/>, <see cref="Window"/> that each profile fixes.
/// </summary>
public sealed record TensorSpec(string Name, [property: JsonPropertyName("dtype")] string DType, IReadOnlyList<string> Dims)
{
    public const string Batch = "batch";
    public const string Tokens = "tokens";
    public const string Window = "window";

    /// <summary>The concrete shape under <paramref name="profile"/>.</summary>
    public long[] Resolve(GraphProfile profile) => Dims.Select(d => d switch
    {
        Batch => profile.Batch,
        Tokens => profile.Tokens,
        Window => profile.Window,
        _ => long.TryParse(d, out var n) ? n : throw new InvalidDataException($"tensor '{Name}': unknown dimension '{d}'"),
    }).ToArray();
}

/// <summary>
/// The model's one graph (graph contract v2): every call shape is a profile of the same graph, so the weights are
/// resident once. On CANN the engine loads <see cref="OmFile"/> (compiled by atc.sh with the profiles as
/// --dynamic_dims gears); on the CPU device the ONNX it was compiled from.
/// </summary>
public sealed record BundleGraph
{
    /// <summary>ONNX file name relative to the bundle directory.</summary>
    public required string OnnxFile { get; init; }

    /// <summary>
    /// The graph the CPU device runs instead of <see cref="OnnxFile"/>, when ONNX Runtime's CPU kernels do not cover
    /// the dtype (bfloat16): the same inputs, outputs and profiles, computed in float32 and rounded to the dtype where
    /// the native graph stores it. Null when the CPU device runs <see cref="OnnxFile"/> itself.
    /// </summary>
    public string? CpuOnnxFile { get; init; }

    /// <summary>The .om atc.sh writes from it (relative to the bundle directory).</summary>
    public required string OmFile { get; init; }

    public required IReadOnlyList<TensorSpec> Inputs { get; init; }
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    /// <summary>Every (batch, tokens, window) the graph is compiled for; a call must use one of them exactly.</summary>
    public required IReadOnlyList<GraphProfile> Profiles { get; init; }

    /// <summary>Size of the ONNX file in bytes (weights are in the weight file).</summary>
    public long FileBytes { get; init; }

    public TensorSpec Input(string name) => Inputs.FirstOrDefault(i => i.Name == name)
        ?? throw new KeyNotFoundException($"the graph has no input '{name}'");

    public TensorSpec Output(string name) => Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new KeyNotFoundException($"the graph has no output '{name}'");
}

/// <summary>Input and output names of graph contract v2.</summary>
public static class GraphNames
{
    /// <summary>int64 (batch, tokens): the new tokens of each row.</summary>
    public const string Tokens = "tokens";

    /// <summary>int64 (batch): valid cache entries of each row before its new tokens (= their first position).</summary>
    public const string Position = "pos";

    /// <summary>
    /// Keys (layers, batch, kv_heads, window, head_dim), rotary applied; bound in place to the cache. One input for
    /// all layers: CANN's aclmdlIODims carries every input's dims of a gear in 128 slots (ACL_MAX_DIM_CNT), which
    /// per-layer inputs would exceed past 15 layers.
    /// </summary>
    public const string PastKeys = "past_k";

    /// <summary>Values (layers, batch, kv_heads, window, head_dim).</summary>
    public const string PastValues = "past_v";

    /// <summary>(layers, 2, batch, kv_heads, tokens, head_dim): the new keys (rotated) and values of every token.</summary>
    public const string KvNew = "kv_new";

    /// <summary>float32 (batch, tokens, vocab).</summary>
    public const string Logits = "logits";

    /// <summary>int64 (batch, tokens): argmax of each position's logits.</summary>
    public const string NextIds = "next_ids";

    /// <summary>int64 (batch, 1): drafts tokens[1..] matching next_ids[..-1] before the first mismatch (0 when tokens = 1).</summary>
    public const string Accepted = "accepted";
}
