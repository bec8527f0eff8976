namespace AscendAio.Host.Scheduling;

/// <summary>
/// Bounds the sequences that generate at once and the requests that may wait for one. A request is admitted if a
/// slot is free or the queue has room; otherwise it is refused at once (the server answers 429). Admitted requests
/// wait in arrival order (SemaphoreSlim is FIFO for async waiters in practice, not by contract).
/// </summary>
public sealed class RequestScheduler : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _admitted;
    private int _running;
    private long _completed;
    private double _averageSeconds = 1;

    public RequestScheduler(int concurrentSequences, int queueLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentSequences, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLength);
        ConcurrentSequences = concurrentSequences;
        QueueLength = queueLength;
        _capacity = concurrentSequences + queueLength;
        _slots = new SemaphoreSlim(concurrentSequences, concurrentSequences);
    }

    public int ConcurrentSequences { get; }

    public int QueueLength { get; }

    /// <summary>Requests generating now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Requests admitted and waiting for a slot.</summary>
    public int Waiting => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>
    /// Admits a request if there is room (a free slot or a queue place); null when full. The ticket must be disposed.
    /// </summary>
    public Ticket? TryAdmit()
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }
        return new Ticket(this);
    }

    /// <summary>Seconds a refused client should wait: the queue ahead divided by the slots, times the average request time.</summary>
    public int RetryAfterSeconds()
    {
        var average = Volatile.Read(ref _averageSeconds);
        return (int)Math.Clamp(Math.Ceiling(average * Math.Max(1, Waiting) / ConcurrentSequences), 1, 600);
    }

    public void Dispose() => _slots.Dispose();

    private void Finished(bool ran, TimeSpan elapsed)
    {
        if (ran)
        {
            Interlocked.Decrement(ref _running);
            _slots.Release();
            // Moving average of request time, for Retry-After; races only blur it.
            var n = Interlocked.Increment(ref _completed);
            var weight = Math.Max(0.05, 1.0 / n);
            Volatile.Write(ref _averageSeconds, _averageSeconds * (1 - weight) + elapsed.TotalSeconds * weight);
        }
        Interlocked.Decrement(ref _admitted);
    }

    /// <summary>An admitted request: wait for a slot with <see cref="WaitAsync"/>; dispose to leave the slot or the queue.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly RequestScheduler _owner;
        private long _startedAt;
        private int _state; // 0 queued, 1 running, 2 done

        internal Ticket(RequestScheduler owner) => _owner = owner;

        /// <summary>Time spent waiting for the slot.</summary>
        public TimeSpan QueueTime { get; private set; }

        public async Task WaitAsync(CancellationToken cancellation)
        {
            var queued = System.Diagnostics.Stopwatch.GetTimestamp();
            await _owner._slots.WaitAsync(cancellation).ConfigureAwait(false);
            _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            QueueTime = System.Diagnostics.Stopwatch.GetElapsedTime(queued, _startedAt);
            Interlocked.Increment(ref _owner._running);
            _state = 1;
        }

        public void Dispose()
        {
            var state = Interlocked.Exchange(ref _state, 2);
            if (state == 2)
                return;
            _owner.Finished(state == 1, state == 1 ? System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt) : TimeSpan.Zero);
        }
    }
}
