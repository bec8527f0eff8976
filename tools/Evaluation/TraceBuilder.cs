using AscendAio.Tasks;

namespace AscendAio.Evaluation;

/// <summary>
/// Builds the interleaved request trace of a workload: exact per-slice counts (largest-remainder rounding of
/// share × n), items drawn without replacement from the test split, then shuffled together — a seeded,
/// reproducible arrival order, not a weighted sum of per-task results.
/// </summary>
public static class TraceBuilder
{
    public static IReadOnlyList<TaskItem> Build(Workload workload, int requests, int seed, Func<string, IReadOnlyList<TaskItem>> testSplit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requests);
        var counts = Apportion(workload.Slices.Select(s => s.Share).ToArray(), requests);
        var random = new Random(seed);
        var trace = new List<TaskItem>(requests);
        for (var i = 0; i < workload.Slices.Count; i++)
        {
            var slice = workload.Slices[i];
            var pool = testSplit(slice.Family).Where(t => slice.Category is null || t.Category == slice.Category).ToList();
            if (pool.Count < counts[i])
                throw new InvalidOperationException($"workload {workload.Name}: slice '{slice.Name}' needs {counts[i]} items, the test split has {pool.Count}");
            Shuffle(pool, random);
            trace.AddRange(pool.Take(counts[i]));
        }
        Shuffle(trace, random);
        return trace;
    }

    /// <summary>Splits <paramref name="total"/> by <paramref name="shares"/> with largest remainders, so the counts sum to the total.</summary>
    public static int[] Apportion(IReadOnlyList<double> shares, int total)
    {
        var sum = shares.Sum();
        var exact = shares.Select(s => s / sum * total).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = total - counts.Sum();
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(left))
            counts[i]++;
        return counts;
    }

    private static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
