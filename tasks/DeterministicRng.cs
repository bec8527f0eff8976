namespace AscendAio.Tasks;

/// <summary>
/// SplitMix64: a tiny seeded generator whose sequence is fixed by this file, so task suites are
/// identical across .NET versions and machines (System.Random's algorithm is not part of its contract).
/// </summary>
public sealed class DeterministicRng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [minInclusive, maxExclusive).</summary>
    public int Next(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), "range is empty");
        return minInclusive + (int)(NextUInt64() % (ulong)(maxExclusive - minInclusive));
    }

    public int Next(int maxExclusive) => Next(0, maxExclusive);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A child generator for an independent stream (e.g. one per split), derived from a label.</summary>
    public static DeterministicRng Derive(ulong seed, string label)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in label)
            h = (h ^ c) * 1099511628211UL;
        return new DeterministicRng(seed ^ h);
    }
}
