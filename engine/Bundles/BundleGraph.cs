using System.Text.Json.Serialization;

namespace AscendAio.Engine.Bundles;

/// <summary>What a graph computes over its T new tokens.</summary>
public enum GraphKind
{
    /// <summary>T = prefill chunk: a chunk of the prompt written into the cache at a position offset.</summary>
    Prefill,

    /// <summary>T = 1: one generated token.</summary>
    Decode,

    /// <summary>T = K + 1: the last accepted token plus K draft tokens, judged inside the graph.</summary>
    Verify,
}

/// <summary>What a graph returns besides the new KV entries.</summary>
public enum GraphVariant
{
    /// <summary>next_ids (argmax per position), and for verify the accepted draft length.</summary>
    Greedy,

    /// <summary>logits per position, for sampling.</summary>
    Logits,
}

/// <summary>A graph input or output: name, element type (float32, int64, ...) and static shape.</summary>
public sealed record TensorSpec(string Name, [property: JsonPropertyName("dtype")] string DType, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>One static-shape graph file of a bundle.</summary>
public sealed record BundleGraph
{
    public required string Name { get; init; }

    /// <summary>ONNX file name relative to the bundle directory (atc.sh turns it into Name.om).</summary>
    public required string File { get; init; }

    public required GraphKind Kind { get; init; }
    public required GraphVariant Variant { get; init; }

    /// <summary>KV window length G: the graph's kv input covers cache positions 0..G-1.</summary>
    public required int Gear { get; init; }

    /// <summary>Number of new tokens T per call.</summary>
    public required int Tokens { get; init; }

    public required IReadOnlyList<TensorSpec> Inputs { get; init; }
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    /// <summary>Size of the graph file in bytes (weights are in the shared weight file).</summary>
    public long FileBytes { get; init; }

    public TensorSpec Input(string name) => Inputs.FirstOrDefault(i => i.Name == name)
        ?? throw new KeyNotFoundException($"graph '{Name}' has no input '{name}'");

    public TensorSpec Output(string name) => Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new KeyNotFoundException($"graph '{Name}' has no output '{name}'");
}
