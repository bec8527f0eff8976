namespace AscendAio.Engine.Models;

/// <summary>
/// The lock around a model's graph calls, granted in arrival order (a ticket lock). A long prefill takes it once per
/// chunk, so every step that queued meanwhile (other sequences' decode and verify calls) runs before its next chunk.
/// Not reentrant. Entering allocates nothing.
/// </summary>
public sealed class ModelGate
{
    private readonly object _sync = new();   // a Monitor (Wait/PulseAll), not a System.Threading.Lock
    private long _nextTicket;
    private long _serving;
    private bool _held;

    /// <summary>Callers waiting for their turn (tests use it to line callers up).</summary>
    internal int Waiting
    {
        get
        {
            lock (_sync)
                return (int)(_nextTicket - _serving) - (_held ? 1 : 0);
        }
    }

    /// <summary>Turns granted so far.</summary>
    internal long Entries
    {
        get
        {
            lock (_sync)
                return _serving + (_held ? 1 : 0);
        }
    }

    /// <summary>Waits for this caller's turn; dispose the scope to pass the gate on.</summary>
    public Scope Enter()
    {
        lock (_sync)
        {
            var ticket = _nextTicket++;
            while (ticket != _serving || _held)
                Monitor.Wait(_sync);
            _held = true;
        }
        return new Scope(this);
    }

    private void Exit()
    {
        lock (_sync)
        {
            _held = false;
            _serving++;
            Monitor.PulseAll(_sync);
        }
    }

    public readonly struct Scope(ModelGate gate) : IDisposable
    {
        public void Dispose() => gate.Exit();
    }
}
