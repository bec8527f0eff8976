using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// Reuses KV caches across requests: allocation of a large device buffer per request would dominate short
/// requests. Keeps at most <see cref="MaxIdle"/> idle caches; the rest are freed when returned.
/// </summary>
public sealed class KvCachePool : IDisposable
{
    private readonly Device _device;
    private readonly KvLayout _layout;
    private readonly int _maxContext;
    private readonly Stack<KvCache> _idle = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    internal KvCachePool(Device device, KvLayout layout, int maxContext, int maxIdle)
    {
        _device = device;
        _layout = layout;
        _maxContext = maxContext;
        MaxIdle = maxIdle;
    }

    public int MaxIdle { get; }

    /// <summary>Caches currently handed out.</summary>
    public int InUse { get; private set; }

    public int Idle
    {
        get
        {
            lock (_gate)
                return _idle.Count;
        }
    }

    /// <summary>Bytes of one cache.</summary>
    public long BytesPerCache => _layout.BytesFor(_maxContext);

    public KvCache Rent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            InUse++;
            if (_idle.TryPop(out var cache))
                return cache;
        }
        try
        {
            return new KvCache(_device, _layout, _maxContext);
        }
        catch
        {
            lock (_gate)
                InUse--;
            throw;
        }
    }

    public void Return(KvCache cache)
    {
        cache.Truncate(0);
        lock (_gate)
        {
            InUse--;
            if (!_disposed && _idle.Count < MaxIdle)
            {
                _idle.Push(cache);
                return;
            }
        }
        cache.Dispose();
    }

    /// <summary>Frees every idle cache.</summary>
    public void Trim()
    {
        lock (_gate)
        {
            while (_idle.TryPop(out var cache))
                cache.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _disposed = true;
        Trim();
    }
}
