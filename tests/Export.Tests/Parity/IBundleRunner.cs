using AscendAio.Engine.Bundles;

namespace AscendAio.Export.Tests.Parity;

/// <summary>Host copies of one graph call's outputs.</summary>
/// <param name="KvNew">(T, layers, 2, kv_heads, head_dim)</param>
public sealed record GraphOutputs(float[] KvNew, long[]? NextIds, long? Accepted, float[]? Logits);

/// <summary>
/// Runs a bundle's graphs the way the engine does: one KV cache buffer (max_context, layers, 2, kv_heads, head_dim),
/// each graph's kv input bound to the cache's first G positions, accepted kv_new rows committed at row pos.
/// </summary>
public interface IBundleRunner : IDisposable
{
    BundleManifest Manifest { get; }

    GraphOutputs Run(BundleGraph graph, ReadOnlySpan<long> tokens, long pos);

    /// <summary>Copies the first <paramref name="rows"/> rows of the last run's kv_new into the cache at row <paramref name="pos"/>.</summary>
    void CommitLast(long pos, int rows);

    /// <summary>Fills the whole cache with a byte pattern (stale data the graphs must never read).</summary>
    void Poison(byte value);
}
