using AscendAio.Engine.Bundles;

namespace AscendAio.Export.Tests.Parity;

/// <summary>Host copies of one graph call's outputs.</summary>
/// <param name="KvNew">(layers, 2, 1, kv_heads, tokens, head_dim)</param>
/// <param name="Logits">(1, tokens, vocab)</param>
public sealed record GraphOutputs(float[] KvNew, long[] NextIds, long Accepted, float[] Logits);

/// <summary>
/// Runs a bundle's graph the way the engine does: a KV cache (2, layers, kv_heads, window, head_dim) at the call's
/// window bound in place to past_k / past_v, accepted kv_new tokens committed at position pos.
/// </summary>
public interface IBundleRunner : IDisposable
{
    BundleManifest Manifest { get; }

    /// <summary>Runs <paramref name="tokens"/> (all slots of the call) at position <paramref name="pos"/> over a window of <paramref name="window"/> slots.</summary>
    GraphOutputs Run(ReadOnlySpan<long> tokens, long pos, int window);

    /// <summary>Commits the first <paramref name="rows"/> tokens of the last run's kv_new at position <paramref name="pos"/>.</summary>
    void CommitLast(long pos, int rows);

    /// <summary>Fills every slot not committed yet with <paramref name="value"/> (stale data the graph must mask; finite, as the engine guarantees by zeroing new caches).</summary>
    void Poison(float value);
}
