using AscendAio.Engine.Bundles;
using Xunit.Abstractions;

namespace AscendAio.Export.Tests.Parity;

/// <summary>
/// Decode (T = 1) and verify (T = K + 1) at the same gear attend over the same G slots, so a position's logits must
/// not depend on which graph computed it: verify's row i equals decode at pos + i after decoding the same tokens.
/// </summary>
public sealed class DecodeVerifyConsistencyTests(TinyBundleFixture fixture, ITestOutputHelper output) : IClassFixture<TinyBundleFixture>
{
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void VerifyAndSequentialDecode_SameGear_LogitsAndKvBitwiseEqual(int gear)
    {
        var random = new Random(5);
        var tokens = Enumerable.Range(0, 14).Select(_ => (long)random.Next(fixture.Checkpoint.Config.VocabSize)).ToArray();
        const int pos = 9;
        var k1 = TinyBundleFixture.VerifyK + 1;
        var vocab = fixture.Checkpoint.Config.VocabSize;

        using var runner = BundleRunners.Open(fixture.Float.BundleDirectory);
        var manifest = runner.Manifest;
        PrefillExactly(runner, tokens, pos);

        var verifyGraph = manifest.Graphs.Single(g => g.Kind == GraphKind.Verify && g.Variant == GraphVariant.Logits && g.Gear == gear);
        var verify = runner.Run(verifyGraph, tokens.AsSpan(pos, k1), pos);

        var decodeGraph = manifest.Graphs.Single(g => g.Kind == GraphKind.Decode && g.Variant == GraphVariant.Logits && g.Gear == gear);
        var decodeLogits = new float[k1 * vocab];
        var decodeKv = new float[verify.KvNew.Length];
        var kvWidth = verify.KvNew.Length / k1;
        for (var i = 0; i < k1; i++)
        {
            var step = runner.Run(decodeGraph, tokens.AsSpan(pos + i, 1), pos + i);
            step.Logits.AsSpan().CopyTo(decodeLogits.AsSpan(i * vocab));
            step.KvNew.AsSpan().CopyTo(decodeKv.AsSpan(i * kvWidth));
            runner.CommitLast(pos + i, 1);
        }

        var logitsDiff = MaxAbsDifference(verify.Logits!, decodeLogits);
        var kvDiff = MaxAbsDifference(verify.KvNew, decodeKv);
        output.WriteLine($"gear {gear}: max |verify - decode| logits {logitsDiff:E2}, kv_new {kvDiff:E2}");
        Assert.Equal(decodeKv, verify.KvNew);
        Assert.Equal(decodeLogits, verify.Logits!);
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
            runner.Run(runner.Manifest.FindGraph(GraphKind.Prefill, GraphVariant.Greedy, pos + chunk)!, input, pos);
            runner.CommitLast(pos, real);
        }
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
