namespace AscendAio.Router.Calibration;

/// <summary>
/// The order in which calibration times its route targets: every repetition runs every target once, in an order
/// shuffled afresh for that repetition, so drift in the machine's load (another process, a warm cache, a clock
/// change) falls on all targets alike instead of on whichever always runs first.
/// </summary>
public static class InterleavedOrder
{
    /// <summary>One permutation of the target indexes 0..<paramref name="targets"/>−1 per repetition.</summary>
    public static int[][] Of(int targets, int repetitions, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        var orders = new int[repetitions][];
        for (var r = 0; r < repetitions; r++)
        {
            var order = Enumerable.Range(0, targets).ToArray();
            random.Shuffle(order);
            orders[r] = order;
        }
        return orders;
    }
}
