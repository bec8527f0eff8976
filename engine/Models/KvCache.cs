using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// One sequence's KV cache in device memory at a gear's capacity, laid out as the bundle's <see cref="KvLayout"/>
/// says: (2, layers, kv_heads, capacity, head_dim), zeroed at allocation so masked slots hold finite values.
/// The graph binds the keys and values blocks in place; accepted entries are committed by copies into each
/// (k|v, layer, kv_head) run.
/// </summary>
public sealed class KvCache : IDisposable
{
    internal KvCache(Device device, KvLayout layout, int capacity)
    {
        Layout = layout;
        Capacity = capacity;
        // (2, layers, kv_heads, capacity, head_dim)
        Buffer = device.Allocate(layout.BytesFor(capacity));
        try
        {
            Buffer.Fill(0);
        }
        catch
        {
            Buffer.Dispose();
            throw;
        }
    }

    public KvLayout Layout { get; }

    /// <summary>Positions this cache can hold: the window gear its graph calls run at.</summary>
    public int Capacity { get; }

    /// <summary>The cache memory; the graph binds its keys and values blocks.</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>Positions 0..Length-1 hold committed entries.</summary>
    public int Length { get; private set; }

    public long Bytes => Buffer.Size;

    /// <summary>
    /// Copies <paramref name="rows"/> new tokens of a graph's kv_new output (layers, 2, 1, kv_heads, tokens, head_dim)
    /// with <paramref name="tokenSlots"/> token slots into positions <paramref name="position"/>.. and makes them the end of the cache.
    /// </summary>
    public void Commit(DeviceBuffer kvNew, int tokenSlots, int rows, int position)
    {
        if (position < 0 || position > Length)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"commit must start inside or at the end of the cache (length {Length})");
        if (rows < 0 || rows > tokenSlots || position + rows > Capacity)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"positions {position}..{position + rows} exceed the capacity of {Capacity}");
        KvRuns.CommitNew(Layout, kvNew, 1, tokenSlots, 0, Buffer, 1, Capacity, 0, position, rows);
        Length = position + rows;
    }

    /// <summary>Copies the committed entries into <paramref name="larger"/> (a cache crossing into the next gear).</summary>
    internal void CopyTo(KvCache larger)
    {
        if (larger.Capacity < Length)
            throw new ArgumentOutOfRangeException(nameof(larger), larger.Capacity, $"the cache holds {Length} positions");
        KvRuns.CopyRow(Layout, Buffer, Capacity, 1, 0, larger.Buffer, larger.Capacity, 1, 0, Length);
        larger.Length = Length;
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
