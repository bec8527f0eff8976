using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Continuous batching on one model, greedy decoding: a dedicated worker thread runs iterations; each iteration
/// prefills waiting requests up to a token budget (a chunk at a time, so a long prompt cannot starve the running
/// rows), moves fully prefilled ones into the <see cref="SequenceBatch"/>, runs one batched decode step for every
/// running row, and retires rows that finished (max tokens, a stop token) or whose caller cancelled, at once.
/// Callers only await their token stream; no caller thread touches the device.
/// </summary>
public sealed class StepScheduler : IDisposable
{
    private readonly LanguageModel _model;
    private readonly SequenceBatch _batch;
    private readonly Channel<Request> _incoming = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Request> _prefilling = [];
    private readonly List<Request> _rows = [];   // _rows[i] is batch row i
    private readonly Thread _worker;
    private readonly CancellationTokenSource _stop = new();
    private readonly int _prefillBudget;
    private int[] _tokens = [], _next = [];

    /// <param name="prefillTokensPerStep">Prompt tokens prefilled per iteration (default: one prefill chunk).</param>
    public StepScheduler(LanguageModel model, int? prefillTokensPerStep = null)
    {
        _model = model;
        _batch = new SequenceBatch(model);
        _prefillBudget = prefillTokensPerStep ?? model.Manifest.PrefillChunk;
        ArgumentOutOfRangeException.ThrowIfLessThan(_prefillBudget, 1, nameof(prefillTokensPerStep));
        _worker = new Thread(Work) { IsBackground = true, Name = $"aio-steps-{model.Name}" };
        _worker.Start();
    }

    /// <summary>Rows the batch holds at most (the largest compiled batch gear).</summary>
    public int Capacity => _batch.Capacity;

    /// <summary>Iterations that ran a batched decode step, and the rows they held (batch occupancy).</summary>
    public long Steps { get; private set; }

    public long RowSteps { get; private set; }

    /// <summary>Generates up to <paramref name="maxNewTokens"/> greedy tokens after <paramref name="prompt"/>; a token in <paramref name="stopTokens"/> ends it (and is yielded).</summary>
    public async IAsyncEnumerable<int> GenerateAsync(int[] prompt, int maxNewTokens, IReadOnlySet<int> stopTokens,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prompt.Length, 1, nameof(prompt));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        if (prompt.Length + maxNewTokens > _model.ContextLimit)
            throw new ContextOverflowException(_model.Name, prompt.Length + maxNewTokens, _model.ContextLimit);
        var request = new Request(prompt, maxNewTokens, stopTokens, cancellation);
        if (!_incoming.Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(StepScheduler));
        await foreach (var token in request.Output.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            cancellation.ThrowIfCancellationRequested();   // nothing after a cancel; the worker retires the row at its next step
            yield return token;
        }
        cancellation.ThrowIfCancellationRequested();
    }

    private void Work()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_rows.Count == 0 && _prefilling.Count == 0)
                {
                    // Idle: block until a request arrives.
                    if (!_incoming.Reader.WaitToReadAsync(_stop.Token).AsTask().GetAwaiter().GetResult())
                        break;
                }
                while (_rows.Count + _prefilling.Count < _batch.Capacity && _incoming.Reader.TryRead(out var arrived))
                    _prefilling.Add(arrived);
                Prefill();
                Step();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The worker is gone: refuse new requests instead of leaving them waiting, fail the ones it held.
            _incoming.Writer.TryComplete(e);
            foreach (var request in _rows.Concat(_prefilling))
                request.Output.Writer.TryComplete(e);
            _rows.Clear();
            _prefilling.Clear();
        }
        while (_incoming.Reader.TryRead(out var left))
            left.Output.Writer.TryComplete(new ObjectDisposedException(nameof(StepScheduler)));
    }

    /// <summary>Spends the iteration's prefill budget on waiting requests in arrival order, a chunk at a time.</summary>
    private void Prefill()
    {
        var budget = _prefillBudget;
        for (var i = 0; i < _prefilling.Count && budget > 0;)
        {
            var request = _prefilling[i];
            if (request.Cancellation.IsCancellationRequested)
            {
                Finish(request);
                _prefilling.RemoveAt(i);
                continue;
            }
            request.Sequence ??= _model.CreateSequence();
            var done = request.Sequence.Length;
            var take = Math.Min(Math.Min(budget, _model.Manifest.PrefillChunk), request.Prompt.Length - done);
            var next = request.Sequence.Prefill(request.Prompt.AsSpan(done, take));
            budget -= take;
            if (request.Sequence.Length < request.Prompt.Length)
                continue;   // more chunks next iteration (or with what is left of the budget)
            _prefilling.RemoveAt(i);
            if (Emit(request, next))
            {
                Finish(request);
                continue;
            }
            _batch.Add(request.Sequence);
            request.Sequence.Dispose();
            request.Sequence = null;
            _rows.Add(request);
        }
    }

    /// <summary>One batched decode step for every running row; retires rows that finished or were cancelled.</summary>
    private void Step()
    {
        for (var r = _rows.Count - 1; r >= 0; r--)
            if (_rows[r].Cancellation.IsCancellationRequested)
                Retire(r);
        if (_rows.Count == 0)
            return;
        if (_tokens.Length < _batch.Capacity)
            (_tokens, _next) = (new int[_batch.Capacity], new int[_batch.Capacity]);
        var count = _rows.Count;
        for (var r = 0; r < count; r++)
            _tokens[r] = _rows[r].Last;
        _batch.Step(_tokens.AsSpan(0, count), _next);
        Steps++;
        RowSteps += count;
        for (var r = count - 1; r >= 0; r--)
            if (Emit(_rows[r], _next[r]))
                Retire(r);
    }

    /// <summary>Hands a token to the caller; true when the request is complete.</summary>
    private static bool Emit(Request request, int token)
    {
        request.Output.Writer.TryWrite(token);
        request.Last = token;
        request.Produced++;
        return request.Produced >= request.MaxNewTokens || request.StopTokens.Contains(token);
    }

    private void Retire(int row)
    {
        Finish(_rows[row]);
        _batch.Remove(row);   // the last row moves into this slot
        _rows[row] = _rows[^1];
        _rows.RemoveAt(_rows.Count - 1);
    }

    private static void Finish(Request request)
    {
        request.Sequence?.Dispose();
        request.Sequence = null;
        request.Output.Writer.TryComplete();
    }

    public void Dispose()
    {
        _incoming.Writer.TryComplete();
        _stop.Cancel();
        _worker.Join();
        foreach (var request in _rows.Concat(_prefilling))
            request.Output.Writer.TryComplete(new ObjectDisposedException(nameof(StepScheduler)));
        foreach (var request in _prefilling)
            request.Sequence?.Dispose();
        _batch.Dispose();
        _stop.Dispose();
    }

    private sealed class Request(int[] prompt, int maxNewTokens, IReadOnlySet<int> stopTokens, CancellationToken cancellation)
    {
        public int[] Prompt { get; } = prompt;
        public int MaxNewTokens { get; } = maxNewTokens;
        public IReadOnlySet<int> StopTokens { get; } = stopTokens;
        public CancellationToken Cancellation { get; } = cancellation;
        public Channel<int> Output { get; } = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        public Sequence? Sequence { get; set; }
        public int Last { get; set; }
        public int Produced { get; set; }
    }
}
