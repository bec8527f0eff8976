namespace AscendAio.Engine.Generation;

/// <summary>
/// Temperature + nucleus (top-p) sampling over one logits row, with its own seeded RNG. Scratch buffers are
/// allocated once per sampler, so sampling a token allocates nothing.
/// </summary>
public sealed class Sampler
{
    private readonly Random _random;
    private readonly double _temperature;
    private readonly double _topP;
    private readonly float[] _probabilities; // (vocab)
    private readonly int[] _order;           // (vocab)

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
        var limit = sum;
        var count = order.Length;
        if (_topP < 1)
        {
            // Sort by descending probability (negated keys), then keep the smallest prefix holding top_p of the mass.
            var keys = _probabilities.AsSpan(0, logits.Length);
            for (var i = 0; i < keys.Length; i++)
                keys[i] = -keys[i];
            keys.Sort(order);
            double cumulative = 0;
            count = 0;
            while (count < keys.Length && cumulative < _topP * sum)
                cumulative -= keys[count++];
            limit = cumulative;
            for (var i = 0; i < count; i++)
                keys[i] = -keys[i];
        }
        var target = _random.NextDouble() * limit;
        double acc = 0;
        for (var i = 0; i < count; i++)
        {
            acc += probabilities[i];
            if (acc >= target)
                return order[i];
        }
        return order[count - 1];
    }

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
