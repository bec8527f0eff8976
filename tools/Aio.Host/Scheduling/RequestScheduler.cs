namespace AscendAio.Host.Scheduling;

/// <summary>
/// Bounds the sequences that generate at once and the requests that may wait for one. A request is admitted if a
/// slot is free or the queue has room; when both are taken it may wait a short while for a place (<see cref="AdmitAsync"/>)
/// and is refused after that (the server answers 429). The wait is what keeps a storm of clients that retry every 429
/// at once from spending the machine on refusals: each refusal takes the wait, at no thread's cost, and a place that
/// frees meanwhile goes to a waiter, so the queue stays full. Admitted requests wait in arrival order (SemaphoreSlim is
/// FIFO for async waiters in practice, not by contract).
/// </summary>
public sealed class RequestScheduler : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _places;
    private readonly int _capacity;
    private int _admitted;
    private int _waitingForPlace;
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
        _places = new SemaphoreSlim(_capacity, _capacity);
    }

    public int ConcurrentSequences { get; }

    public int QueueLength { get; }

    /// <summary>Requests generating now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Requests admitted and waiting for a slot.</summary>
    public int Waiting => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>Requests the queue had no room for, waiting up to the admission wait for a place.</summary>
    public int WaitingForPlace => Volatile.Read(ref _waitingForPlace);

    /// <summary>
    /// Admits a request if there is room (a free slot or a queue place); null when full. The ticket must be disposed.
    /// </summary>
    public Ticket? TryAdmit() => _places.Wait(0) ? Admitted() : null;

    /// <summary>
    /// Admits a request if there is room, else waits up to <paramref name="wait"/> for a place to free; null when none
    /// did. At most as many requests wait for a place as the server holds (slots + queue); one beyond that is refused
    /// after the same wait without a claim on a place, so every refusal is paced at the wait however many clients retry.
    /// </summary>
    public async Task<Ticket?> AdmitAsync(TimeSpan wait, CancellationToken cancellation)
    {
        if (_places.Wait(0, CancellationToken.None))
            return Admitted();
        if (wait <= TimeSpan.Zero)
            return null;
        if (Interlocked.Increment(ref _waitingForPlace) > _capacity)
        {
            Interlocked.Decrement(ref _waitingForPlace);
            await Task.Delay(wait, cancellation).ConfigureAwait(false);
            return null;
        }
        try
        {
            return await _places.WaitAsync(wait, cancellation).ConfigureAwait(false) ? Admitted() : null;
        }
        finally
        {
            Interlocked.Decrement(ref _waitingForPlace);
        }
    }

    private Ticket Admitted()
    {
        Interlocked.Increment(ref _admitted);
        return new Ticket(this);
    }

    /// <summary>Seconds a refused client should wait: the queue ahead divided by the slots, times the average request time.</summary>
    public int RetryAfterSeconds()
    {
        var average = Volatile.Read(ref _averageSeconds);
        return (int)Math.Clamp(Math.Ceiling(average * Math.Max(1, Waiting) / ConcurrentSequences), 1, 600);
    }

    public void Dispose()
    {
        _slots.Dispose();
        _places.Dispose();
    }

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
        _places.Release();
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
