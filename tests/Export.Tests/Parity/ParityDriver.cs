using AscendAio.Engine.Generation;
using AscendAio.Engine.Bundles;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Parity;

/// <summary>
/// Drives a runner like the engine would (chunked prefill, decode, verify) and measures each call against the
/// reference. next_ids must be the reference's argmax, or (<paramref name="idsFromOwnLogits"/>, for half-precision
/// graphs whose rounding may flip near-ties) the argmax of the graph's own logits.
/// </summary>
internal sealed class ParityDriver(IBundleRunner runner, ReferenceResult reference, bool idsFromOwnLogits = false)
{
    /// <summary>Largest relative error seen per call kind and window ("decode_w16"), logits and kv_new together.</summary>
    public Dictionary<string, double> MaxErrorByCall { get; } = new();

    public BundleManifest Manifest => runner.Manifest;

    /// <summary>Prefills <paramref name="tokens"/>[0..count) chunk by chunk from position 0, checking each call, committing each chunk.</summary>
    public void Prefill(IReadOnlyList<int> tokens, int count)
    {
        var chunk = Manifest.PrefillChunk;
        for (var pos = 0; pos < count; pos += chunk)
        {
            var real = Math.Min(chunk, count - pos);
            var input = new long[chunk];   // the tail of the last chunk is padding the engine never commits
            for (var i = 0; i < real; i++)
                input[i] = tokens[pos + i];
            Step("prefill", input, pos, real);
            runner.CommitLast(pos, real);
        }
    }

    /// <summary>
    /// Runs <paramref name="input"/> at <paramref name="pos"/> over the window the engine would use (the smallest gear
    /// holding the checked rows) or <paramref name="window"/>; checks the first <paramref name="checkedRows"/> tokens.
    /// </summary>
    public GraphOutputs Step(string kind, long[] input, int pos, int checkedRows, int? window = null)
    {
        var gear = window ?? Manifest.GearFor(pos + checkedRows) ?? throw new InvalidOperationException($"no gear holds {pos + checkedRows} positions");
        var outputs = runner.Run(input, pos, gear);
        var vocab = Manifest.Model.VocabSize;
        var kv = Manifest.KvLayout;
        for (var i = 0; i < checkedRows; i++)
        {
            var rowLogits = outputs.Logits.AsSpan(i * vocab, vocab);
            Assert.Equal(idsFromOwnLogits ? Sampler.ArgMax(rowLogits) : reference.ArgMax(pos + i), outputs.NextIds[i]);
            var logitsError = Parity.RelativeError(outputs.Logits.AsSpan(i * vocab, vocab), reference.Logits[pos + i]);
            var kvError = Parity.RelativeError(KvRow(outputs.KvNew, input.Length, i, kv), Parity.KvRow(reference, pos + i));
            var key = $"{kind}_w{gear}";
            MaxErrorByCall[key] = Math.Max(MaxErrorByCall.GetValueOrDefault(key), Math.Max(logitsError, kvError));
        }
        return outputs;
    }

    /// <summary>Token <paramref name="t"/>'s entries of kv_new (layers, 2, 1, kv_heads, tokens, head_dim) as (layers, 2, kv_heads·head_dim).</summary>
    private static float[] KvRow(float[] kvNew, int tokens, int t, KvLayout kv)
    {
        var row = new float[kv.Layers * 2 * kv.KvHeads * kv.HeadDim];
        for (var ls = 0; ls < kv.Layers * 2; ls++)
            for (var h = 0; h < kv.KvHeads; h++)
                kvNew.AsSpan(((ls * kv.KvHeads + h) * tokens + t) * kv.HeadDim, kv.HeadDim).CopyTo(row.AsSpan((ls * kv.KvHeads + h) * kv.HeadDim));
        return row;
    }
}
