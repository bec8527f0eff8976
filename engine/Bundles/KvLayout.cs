using System.Text.Json.Serialization;

namespace AscendAio.Engine.Bundles;

/// <summary>
/// How the engine's KV cache buffer is laid out and how graphs bind to it. The cache is one float32 buffer
/// (max_context, layers, 2, kv_heads, head_dim), position outermost, index 0 of the "2" axis = keys (rotary
/// embedding applied), 1 = values. Because position is outermost, the first G positions form a contiguous prefix:
/// a gear-G graph's kv input (G, layers, 2, kv_heads, head_dim) binds to bytes [0, G·BytesPerPosition) of the
/// cache with no copy. Each graph returns kv_new (T, layers, 2, kv_heads, head_dim) for its T new tokens (positions
/// pos..pos+T-1); the engine commits the first n accepted rows with one device-to-device copy of
/// n·BytesPerPosition bytes to byte offset pos·BytesPerPosition.
/// </summary>
public sealed record KvLayout
{
    /// <summary>Axis names, outermost first: position, layer, kv (0 = key, 1 = value), kv_head, head_dim.</summary>
    public required IReadOnlyList<string> Axes { get; init; }

    /// <summary>Full cache shape: (max_context, layers, 2, kv_heads, head_dim).</summary>
    public required long[] Shape { get; init; }

    [JsonPropertyName("dtype")]
    public required string DType { get; init; }

    /// <summary>Bytes of one position's entries across all layers: layers·2·kv_heads·head_dim·4.</summary>
    public required long BytesPerPosition { get; init; }

    /// <summary>Keys are stored after the rotary embedding at their absolute position.</summary>
    public required bool KeysRotated { get; init; }

    public required string Description { get; init; }

    public long BytesFor(long positions) => positions * BytesPerPosition;
}
