using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// KV caches by gear: a sequence rents a cache at the smallest gear that holds its positions and grows into the next
/// gear with one copy per run; returned caches wait for reuse per gear (at most <see cref="MaxIdle"/> in all, the
/// smallest freed first when over). Every byte is accounted: <see cref="BytesInUse"/>, <see cref="BytesIdle"/>.
/// </summary>
public sealed class KvCachePool : IDisposable
{
    private readonly Device _device;
    private readonly KvLayout _layout;
    private readonly IReadOnlyList<int> _gears;
    private readonly SortedDictionary<int, Stack<KvCache>> _idle = [];
    private readonly Lock _gate = new();
    private int _idleCount;
    private bool _disposed;

    internal KvCachePool(Device device, KvLayout layout, IReadOnlyList<int> gears, int maxIdle)
    {
        _device = device;
        _layout = layout;
        _gears = gears;
        MaxIdle = maxIdle;
    }

    public int MaxIdle { get; }

    /// <summary>Caches currently handed out.</summary>
    public int InUse { get; private set; }

    /// <summary>Device bytes of the caches handed out.</summary>
    public long BytesInUse { get; private set; }

    public int Idle
    {
        get
        {
            lock (_gate)
                return _idleCount;
        }
    }

    /// <summary>Device bytes of the idle caches kept for reuse.</summary>
    public long BytesIdle
    {
        get
        {
            lock (_gate)
                return _idle.Sum(p => p.Value.Count * _layout.BytesFor(p.Key));
        }
    }

    /// <summary>The gear a cache for <paramref name="positions"/> positions is allocated at, or null past the largest gear.</summary>
    public int? GearFor(int positions) => KvGears.Covering(_gears, positions);

    /// <summary>A cache of exactly <paramref name="capacity"/> positions (a gear), empty.</summary>
    public KvCache Rent(int capacity)
    {
        if (!_gears.Contains(capacity))
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"not a gear ({string.Join(", ", _gears)})");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            InUse++;
            BytesInUse += _layout.BytesFor(capacity);
            if (_idle.TryGetValue(capacity, out var stack) && stack.TryPop(out var cache))
            {
                _idleCount--;
                return cache;
            }
        }
        try
        {
            return new KvCache(_device, _layout, capacity);
        }
        catch
        {
            lock (_gate)
            {
                InUse--;
                BytesInUse -= _layout.BytesFor(capacity);
            }
            throw;
        }
    }

    /// <summary>Moves <paramref name="cache"/>'s entries into a cache of <paramref name="capacity"/> and returns the old one.</summary>
    public KvCache Grow(KvCache cache, int capacity)
    {
        var larger = Rent(capacity);
        try
        {
            cache.CopyTo(larger);
        }
        catch
        {
            Return(larger);
            throw;
        }
        Return(cache);
        return larger;
    }

    public void Return(KvCache cache)
    {
        cache.Truncate(0);
        var doomed = cache;
        lock (_gate)
        {
            InUse--;
            BytesInUse -= cache.Bytes;
            if (!_disposed && MaxIdle > 0)
            {
                if (!_idle.TryGetValue(cache.Capacity, out var stack))
                    _idle[cache.Capacity] = stack = new Stack<KvCache>();
                stack.Push(cache);
                _idleCount++;
                // Over the limit: free the smallest idle cache, the cheapest to allocate again.
                doomed = _idleCount > MaxIdle ? _idle.First(p => p.Value.Count > 0).Value.Pop() : null;
                if (doomed is not null)
                    _idleCount--;
            }
        }
        doomed?.Dispose();
    }

    /// <summary>Frees every idle cache.</summary>
    public void Trim()
    {
        List<KvCache> doomed;
        lock (_gate)
        {
            doomed = _idle.Values.SelectMany(s => s).ToList();
            _idle.Clear();
            _idleCount = 0;
        }
        foreach (var cache in doomed)
            cache.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
            _disposed = true;
        Trim();
    }
}
