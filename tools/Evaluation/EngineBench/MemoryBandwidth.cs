using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AscendAio.Engine.Acl;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>One bandwidth figure: bytes moved per pass, passes timed, best and median GB/s (10⁹ bytes/s).</summary>
public sealed record BandwidthResult(string Kernel, long Bytes, int Threads, int Passes, double BestGBps, double MedianGBps)
{
    public static BandwidthResult From(string kernel, long bytes, int threads, IReadOnlyList<double> gbps)
    {
        var sorted = gbps.Order().ToList();
        return new BandwidthResult(kernel, bytes, threads, sorted.Count, sorted[^1], sorted[sorted.Count / 2]);
    }
}

/// <summary>
/// The memory-bandwidth side of the roofline. Weight streaming is read-only, so the fair ceiling is a read-only
/// sum over a buffer far larger than the caches, with as many threads as the CPU device runs graphs on. The buffer
/// is kept so passes can be interleaved with decode rounds (both then see the same load from other processes).
/// </summary>
public sealed unsafe class ReadBandwidthProbe : IDisposable
{
    public const string Kernel = "read-only sum (managed Vector<float>, 4 accumulators)";

    private readonly float* _data;
    private readonly long _count;
    private readonly double[] _sums;

    public ReadBandwidthProbe(long bytes, int threads)
    {
        Threads = threads;
        _count = bytes / sizeof(float) / (4 * Vector<float>.Count) / threads * (4 * Vector<float>.Count) * threads;
        _data = (float*)NativeMemory.AlignedAlloc((nuint)(_count * sizeof(float)), 4096);
        for (long i = 0; i < _count; i += int.MaxValue / 2)   // touch every page before timing
            new Span<float>(_data + i, (int)Math.Min(_count - i, int.MaxValue / 2)).Fill(1f);
        _sums = new double[threads];
        Measure();   // warms the thread pool
    }

    public int Threads { get; }

    public long Bytes => _count * sizeof(float);

    /// <summary>One pass over the buffer, all threads; GB/s.</summary>
    public double Measure()
    {
        var slice = _count / Threads;
        var start = Stopwatch.GetTimestamp();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => _sums[t] = Sum(_data + t * slice, slice));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (Math.Abs(_sums.Sum() - _count) > _count * 1e-3)
            throw new InvalidOperationException($"read-only sum returned {_sums.Sum()}, expected {_count}");
        return Bytes / seconds / 1e9;
    }

    public void Dispose() => NativeMemory.AlignedFree(_data);

    // Four independent accumulators hide the add latency, so the loop is limited by loads, not by the FPU.
    // (float lanes stay exact: each adds at most count / (threads · 4 · width) ones, far below 2^24.)
    private static double Sum(float* p, long count)
    {
        Vector<float> a = default, b = default, c = default, d = default;
        var width = Vector<float>.Count;
        for (long i = 0; i < count; i += 4 * width)
        {
            a += Unsafe.ReadUnaligned<Vector<float>>(p + i);
            b += Unsafe.ReadUnaligned<Vector<float>>(p + i + width);
            c += Unsafe.ReadUnaligned<Vector<float>>(p + i + 2 * width);
            d += Unsafe.ReadUnaligned<Vector<float>>(p + i + 3 * width);
        }
        return Vector.Sum(a + b + c + d);
    }
}

/// <summary>The CPU device's own copy bandwidth, for reference beside the read-only ceiling.</summary>
public static class DeviceCopyBandwidth
{
    /// <summary>aclrtMemcpy device-to-device of <paramref name="bytes"/> (each byte read once and written once).</summary>
    public static BandwidthResult Measure(Device device, long bytes, int passes)
    {
        using var source = device.Allocate(bytes);
        using var destination = device.Allocate(bytes);
        source.Fill(1);
        destination.Fill(0);
        destination.CopyFrom(source, 0, 0, bytes);
        var gbps = new List<double>();
        for (var pass = 0; pass < passes; pass++)
        {
            var start = Stopwatch.GetTimestamp();
            destination.CopyFrom(source, 0, 0, bytes);
            gbps.Add(bytes / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        return BandwidthResult.From("aclrtMemcpy D2D (bytes copied/s; traffic is 2x)", bytes, 1, gbps);
    }
}
