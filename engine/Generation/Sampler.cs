namespace AscendAio.Engine.Generation;

/// <summary>
/// Temperature + nucleus (top-p) sampling over one logits row, with its own seeded RNG. Scratch buffers are
/// allocated once per sampler, so sampling a token allocates nothing. The nucleus is found by selection on
/// probability mass (expected linear time), not by sorting the vocabulary.
/// </summary>
public sealed class Sampler
{
    private readonly Random _random;
    private readonly double _temperature;
    private readonly double _topP;
    private readonly float[] _probabilities; // (vocab), unnormalised
    private readonly int[] _order;           // (vocab), token ids; the nucleus ends up in front

    public Sampler(int vocabSize, double temperature, double topP, int seed)
    {
        _random = new Random(seed);
        _temperature = temperature;
        _topP = topP;
        _probabilities = new float[vocabSize];
        _order = new int[vocabSize];
    }

    public int Sample(ReadOnlySpan<float> logits)
    {
        if (_temperature == 0)
            return ArgMax(logits);
        var probabilities = _probabilities.AsSpan(0, logits.Length);
        var max = logits[ArgMax(logits)];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var p = (float)Math.Exp((logits[i] - max) / _temperature);
            probabilities[i] = p;
            sum += p;
        }
        var order = _order.AsSpan(0, logits.Length);
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        var (count, mass) = _topP < 1 ? Nucleus(probabilities, order, _topP * sum) : (order.Length, sum);

        var target = _random.NextDouble() * mass;
        double acc = 0;
        for (var i = 0; i < count; i++)
        {
            acc += probabilities[order[i]];
            if (acc >= target)
                return order[i];
        }
        return order[count - 1];
    }

    /// <summary>
    /// Moves the nucleus (the most probable tokens whose mass first reaches <paramref name="needed"/>) to the
    /// front of <paramref name="order"/> and returns its size and mass. Quickselect on mass: each round splits the
    /// undecided range around a pivot into greater / equal / smaller and keeps only the part where the nucleus ends.
    /// </summary>
    private static (int Count, double Mass) Nucleus(ReadOnlySpan<float> probabilities, Span<int> order, double needed)
    {
        int lo = 0, hi = order.Length;
        double kept = 0; // mass of order[..lo], all in the nucleus; kept < needed holds throughout
        while (hi - lo > 1)
        {
            var pivot = MedianOfThree(probabilities[order[lo]], probabilities[order[lo + (hi - lo) / 2]], probabilities[order[hi - 1]]);
            int greaterEnd = lo, i = lo, smallerStart = hi;
            double greater = 0, equal = 0;
            while (i < smallerStart)
            {
                var p = probabilities[order[i]];
                if (p > pivot)
                {
                    (order[greaterEnd], order[i]) = (order[i], order[greaterEnd]);
                    greater += p;
                    greaterEnd++;
                    i++;
                }
                else if (p < pivot)
                {
                    smallerStart--;
                    (order[smallerStart], order[i]) = (order[i], order[smallerStart]);
                }
                else
                {
                    equal += p;
                    i++;
                }
            }
            if (kept + greater >= needed)
            {
                hi = greaterEnd; // the nucleus ends among the greater ones
                continue;
            }
            kept += greater;
            if (kept + equal >= needed)
            {
                var end = greaterEnd; // ends among tokens of the pivot's probability: take as many as it needs
                while (kept < needed && end < smallerStart)
                    kept += probabilities[order[end++]];
                return (end, kept);
            }
            kept += equal;
            lo = smallerStart;
        }
        if (lo < hi)
            kept += probabilities[order[lo++]];
        return (Math.Max(lo, 1), kept);
    }

    private static float MedianOfThree(float a, float b, float c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }
}
