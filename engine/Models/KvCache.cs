using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// One sequence's KV cache in device memory, laid out as the bundle's <see cref="KvLayout"/> says:
/// (max_context, layers, 2, kv_heads, head_dim) float32, position outermost, so a gear-G graph binds the first
/// G positions in place and accepted entries are committed with one device-to-device copy.
/// </summary>
public sealed class KvCache : IDisposable
{
    internal KvCache(Device device, KvLayout layout, int maxContext)
    {
        Layout = layout;
        MaxContext = maxContext;
        // (max_context, layers, 2, kv_heads, head_dim)
        Buffer = device.Allocate(layout.BytesFor(maxContext));
    }

    public KvLayout Layout { get; }

    public int MaxContext { get; }

    /// <summary>The cache memory; graphs bind prefixes of it.</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>Positions 0..Length-1 hold committed entries.</summary>
    public int Length { get; private set; }

    public long Bytes => Buffer.Size;

    /// <summary>
    /// Copies <paramref name="rows"/> positions of a graph's kv_new output (T, layers, 2, kv_heads, head_dim)
    /// into positions <paramref name="position"/>.. and makes them the end of the cache.
    /// </summary>
    public void Commit(DeviceBuffer kvNew, int rows, int position)
    {
        if (position < 0 || position > Length)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"commit must start inside or at the end of the cache (length {Length})");
        if (rows < 0 || position + rows > MaxContext)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"positions {position}..{position + rows} exceed the context of {MaxContext}");
        if (rows > 0)
            Buffer.CopyFrom(kvNew, 0, Layout.BytesFor(position), Layout.BytesFor(rows));
        Length = position + rows;
    }

    /// <summary>Forgets entries from <paramref name="length"/> on (rejected drafts, prefix reuse).</summary>
    public void Truncate(int length)
    {
        if (length < 0 || length > Length)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"cache holds {Length} positions");
        Length = length;
    }

    public void Dispose() => Buffer.Dispose();
}
