namespace AscendAio.Engine.Bundles;

/// <summary>
/// The KV lengths (window gears) a model's graph is compiled for, and the prefill chunk, by the rules the exporter
/// uses; the device-memory plan applies the same rules to a config.json. A sequence's cache covers the smallest gear
/// that holds its positions and grows to the next gear when it crosses one, so it pays for its gear, not for
/// max_context.
/// </summary>
public static class KvGears
{
    /// <summary>The smallest default gear (unless the prefill chunk is larger).</summary>
    public const int Smallest = 128;

    /// <summary>
    /// Prefill tokens per call for a model of <paramref name="maxContext"/> positions: max context / 16 as a power of
    /// two, at least 64 and at most 512, so a full-context prompt takes at most 16 calls up to 8K positions and 64 at
    /// 32K (a fixed 64 took 512 calls, each streaming every weight). 512 tokens is past the point where a call on a
    /// 910B is bound by compute rather than by streaming the weights (about 200 tokens at 2 bytes per weight: ~300
    /// FP16 TFLOP/s over ~1.6 TB/s of HBM, 2 FLOPs per weight per token), so a larger chunk only adds padding and
    /// activation memory. Short contexts keep 64: padding a 20-token prompt to a large chunk costs the CPU device.
    /// </summary>
    public static int DefaultPrefillChunk(int maxContext)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContext, 1);
        var chunk = 64;
        while (chunk < 512 && chunk * 2 <= maxContext / 16)
            chunk *= 2;
        return Math.Min(chunk, maxContext);
    }

    /// <summary>
    /// The max context and every 2x smaller size down to 128 or one prefill chunk, whichever is larger: 512 → 128,
    /// 256, 512; 2048 → 128 … 2048. Twice apart, a cache is never more than twice the context it holds.
    /// </summary>
    public static IReadOnlyList<int> Default(int maxContext, int prefillChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContext, 1);
        var gears = new List<int> { maxContext };
        for (var g = maxContext / 2; g >= Math.Max(Smallest, prefillChunk); g /= 2)
            gears.Add(g);
        gears.Sort();
        return gears;
    }

    /// <summary>The smallest gear ≥ <paramref name="positions"/>, or null when none holds that many.</summary>
    public static int? Covering(IReadOnlyList<int> gears, int positions)
    {
        int? best = null;
        foreach (var gear in gears)
            if (gear >= positions && (best is null || gear < best))
                best = gear;
        return best;
    }
}
