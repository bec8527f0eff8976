namespace AscendAio.Host.Metrics;

/// <summary>A Prometheus histogram: fixed upper bounds, counts per bucket, sum and count. Thread-safe.</summary>
public sealed class Histogram(params double[] upperBounds)
{
    private readonly double[] _bounds = upperBounds.Order().ToArray();
    private readonly long[] _counts = new long[upperBounds.Length + 1]; // the last is +Inf
    private readonly Lock _gate = new();
    private double _sum;
    private long _count;

    public void Observe(double value)
    {
        var index = Array.FindIndex(_bounds, b => value <= b);
        lock (_gate)
        {
            _counts[index < 0 ? _bounds.Length : index]++;
            _sum += value;
            _count++;
        }
    }

    /// <summary>Cumulative counts per bound (the last entry is +Inf), the sum and the count, read together.</summary>
    public (IReadOnlyList<(double Bound, long Cumulative)> Buckets, double Sum, long Count) Snapshot()
    {
        lock (_gate)
        {
            var buckets = new List<(double, long)>(_counts.Length);
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                running += _counts[i];
                buckets.Add((i < _bounds.Length ? _bounds[i] : double.PositiveInfinity, running));
            }
            return (buckets, _sum, _count);
        }
    }
}
