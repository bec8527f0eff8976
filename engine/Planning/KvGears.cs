namespace AscendAio.Engine.Planning;

/// <summary>
/// The KV lengths a sequence's cache is allocated at: a cache covers the smallest gear that holds its positions and
/// grows to the next gear when the sequence crosses one, so a sequence pays for its gear, not for max_context.
/// </summary>
public static class KvGears
{
    public const int Smallest = 256;

    /// <summary>Powers of two from 256 below <paramref name="maxContext"/>, then <paramref name="maxContext"/> itself.</summary>
    public static IReadOnlyList<int> Standard(int maxContext)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContext, 1);
        var gears = new List<int>();
        for (long gear = Smallest; gear < maxContext; gear *= 2)
            gears.Add((int)gear);
        gears.Add(maxContext);
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
