using System.Text.Json.Serialization;

namespace AscendAio.Engine.Bundles;

/// <summary>
/// How a sequence's KV cache is laid out in device memory and how the graph reads it (graph contract v2).
/// One buffer per sequence of shape (2, layers, kv_heads, capacity, head_dim): the keys block (rotary applied), then
/// the values block; the capacity is a window gear. Each block is one graph input, past_k / past_v (layers, 1,
/// kv_heads, window = capacity, head_dim), bound in place. A call's kv_new (layers, 2, batch, kv_heads, tokens,
/// head_dim) is committed by one device-to-device copy per (k|v, layer, kv_head) of n·head_dim elements at slot pos.
/// </summary>
public sealed record KvLayout
{
    /// <summary>Axis names, outermost first.</summary>
    public required IReadOnlyList<string> Axes { get; init; }

    [JsonPropertyName("dtype")]
    public required string DType { get; init; }

    public required int ElementBytes { get; init; }

    public required int Layers { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadDim { get; init; }

    /// <summary>Keys are stored after the rotary embedding at their absolute position.</summary>
    public required bool KeysRotated { get; init; }

    public required string Description { get; init; }

    /// <summary>Bytes of one position's entries across all layers: layers·2·kv_heads·head_dim·element.</summary>
    [JsonIgnore]
    public long BytesPerPosition => (long)Layers * 2 * KvHeads * HeadDim * ElementBytes;

    /// <summary>Bytes of a cache of <paramref name="capacity"/> positions.</summary>
    public long BytesFor(long capacity) => capacity * BytesPerPosition;

    /// <summary>Bytes of the keys (or the values) block at <paramref name="capacity"/>: layers·kv_heads·capacity·head_dim·element.</summary>
    public long BlockBytes(long capacity) => (long)Layers * KvHeads * capacity * HeadDim * ElementBytes;

    /// <summary>Bytes of one (k|v, layer, kv_head) row run at <paramref name="capacity"/>: capacity·head_dim·element.</summary>
    public long RunBytes(long capacity) => capacity * HeadDim * ElementBytes;

    /// <summary>Number of (k|v, layer, kv_head) runs: 2·layers·kv_heads, each a contiguous (capacity, head_dim) slab.</summary>
    [JsonIgnore]
    public int Runs => 2 * Layers * KvHeads;
}
