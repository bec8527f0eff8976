using AscendAio.Engine.Generation;
using AscendAio.Engine.Bundles;
using Xunit.Abstractions;

namespace AscendAio.Export.Tests.Parity;

/// <summary>
/// Decode (tokens = 1) and verify (tokens = K + 1) at the same window compute the same attention; only the order of
/// the softmax and context sums differs (verify's earlier drafts are new tokens, decode's are cached slots), so a
/// position's logits agree to float32 rounding and its argmax is the same whichever call computed it.
/// </summary>
public sealed class DecodeVerifyConsistencyTests(TinyBundleFixture fixture, ITestOutputHelper output) : IClassFixture<TinyBundleFixture>
{
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void VerifyAndSequentialDecode_SameWindow_AgreeToRoundingWithEqualArgmax(int gear)
    {
        var random = new Random(5);
        var tokens = Enumerable.Range(0, 14).Select(_ => (long)random.Next(fixture.Checkpoint.Config.VocabSize)).ToArray();
        const int pos = 9;
        var k1 = TinyBundleFixture.VerifyK + 1;
        var vocab = fixture.Checkpoint.Config.VocabSize;

        using var runner = BundleRunners.Open(fixture.Float.BundleDirectory);
        var manifest = runner.Manifest;
        PrefillExactly(runner, tokens, pos);

        var verify = runner.Run(tokens.AsSpan(pos, k1), pos, gear);
        var verifyKv = TokenMajor(verify.KvNew, k1, manifest.KvLayout);

        var decodeLogits = new float[k1 * vocab];
        var decodeKv = new float[verify.KvNew.Length];
        var kvWidth = verify.KvNew.Length / k1;
        for (var i = 0; i < k1; i++)
        {
            var step = runner.Run(tokens.AsSpan(pos + i, 1), pos + i, gear);
            step.Logits.AsSpan().CopyTo(decodeLogits.AsSpan(i * vocab));
            step.KvNew.AsSpan().CopyTo(decodeKv.AsSpan(i * kvWidth));
            runner.CommitLast(pos + i, 1);
        }

        var logitsDiff = MaxAbsDifference(verify.Logits, decodeLogits) / decodeLogits.Max(Math.Abs);
        var kvDiff = MaxAbsDifference(verifyKv, decodeKv) / decodeKv.Max(Math.Abs);
        output.WriteLine($"window {gear}: max |verify - decode| / max |decode|: logits {logitsDiff:E2}, kv_new {kvDiff:E2}");
        Assert.True(logitsDiff < 1e-5, $"logits differ by {logitsDiff:E2} of their scale");
        Assert.True(kvDiff < 1e-5, $"kv_new differs by {kvDiff:E2} of its scale");
        for (var i = 0; i < k1; i++)
            Assert.Equal(Sampler.ArgMax(decodeLogits.AsSpan(i * vocab, vocab)), verify.NextIds[i]);
    }

    // Chunked prefill would pad; here the prompt is committed through decode so no padding enters the comparison.
    private static void PrefillExactly(IBundleRunner runner, long[] tokens, int count)
    {
        var chunk = runner.Manifest.PrefillChunk;
        for (var pos = 0; pos < count; pos += chunk)
        {
            var real = Math.Min(chunk, count - pos);
            var input = new long[chunk];
            tokens.AsSpan(pos, real).CopyTo(input);
            runner.Run(input, pos, runner.Manifest.GearFor(pos + real)!.Value);
            runner.CommitLast(pos, real);
        }
    }

    /// <summary>kv_new (layers, 2, 1, kv_heads, tokens, head_dim) reordered token-major, as the decode steps are concatenated.</summary>
    private static float[] TokenMajor(float[] kvNew, int tokens, KvLayout kv)
    {
        var width = kvNew.Length / tokens;
        var result = new float[kvNew.Length];
        for (var run = 0; run < kv.Layers * 2 * kv.KvHeads; run++)
            for (var t = 0; t < tokens; t++)
                kvNew.AsSpan((run * tokens + t) * kv.HeadDim, kv.HeadDim).CopyTo(result.AsSpan(t * width + run * kv.HeadDim));
        return result;
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
