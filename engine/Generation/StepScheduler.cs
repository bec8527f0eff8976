using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Continuous batching on one model (llama.cpp's slots, vLLM's step loop): a dedicated worker thread runs iterations;
/// each iteration runs queued device work (a probe), prefills waiting requests up to a token budget (a chunk at a
/// time, so a long prompt cannot starve the running rows), moves fully prefilled ones into a batch row, runs one
/// batched step for every running row and retires rows that finished or whose caller went away, at once.
/// Rows are greedy or sampled plain decoding, or PLD (a verify step when any row has drafts; a row without drafts is
/// a plain row of that step). Draft speculation needs a second model per step and runs as a session of its own, one
/// step per iteration. Callers only await their stream; no caller thread touches the device.
/// <para>Rows beyond the largest compiled batch gear go into further lanes (one batched call each per iteration), so a
/// bundle exported without batch gears still serves <see cref="Capacity"/> requests, interleaved at batch 1.</para>
/// </summary>
public sealed partial class StepScheduler : IDisposable
{
    private readonly LanguageModel _model;
    private readonly Channel<ScheduledRequest> _incoming = Channel.CreateUnbounded<ScheduledRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<WorkItem> _work = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<ScheduledRequest> _prefilling = [];
    private readonly List<ScheduledRequest> _sessions = [];
    private readonly List<Lane> _lanes = [];
    private readonly Thread _worker;
    private readonly CancellationTokenSource _stop = new();
    private readonly int _prefillBudget;
    private readonly int _feedBelow;
    private volatile Exception? _failure;

    /// <param name="capacity">Requests generating at once (default: the largest compiled batch gear).</param>
    /// <param name="prefillTokensPerStep">Prompt tokens prefilled per iteration (default: one prefill chunk).</param>
    /// <param name="servedName">The model's name in metrics (a server's configured name; default: the bundle's).</param>
    public StepScheduler(LanguageModel model, int? capacity = null, int? prefillTokensPerStep = null, string? servedName = null)
    {
        _model = model;
        ServedName = servedName ?? model.Name;
        BatchGear = model.Graph.BatchGears[^1];
        Capacity = capacity ?? BatchGear;
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(capacity));
        _prefillBudget = prefillTokensPerStep ?? model.Manifest.PrefillChunk;
        ArgumentOutOfRangeException.ThrowIfLessThan(_prefillBudget, 1, nameof(prefillTokensPerStep));
        _feedBelow = Math.Max(2, model.Manifest.PrefillChunk / 8);   // as Sequence.Prefill: below this, single-token calls
        _worker = new Thread(Work) { IsBackground = true, Name = $"aio-steps-{model.Name}" };
        _worker.Start();
    }

    public LanguageModel Model => _model;

    /// <summary>The model's name in the scheduler's metrics.</summary>
    public string ServedName { get; }

    /// <summary>Requests that generate at once; more wait for a row in arrival order.</summary>
    public int Capacity { get; }

    /// <summary>Rows one batched call takes at most: the largest compiled batch gear.</summary>
    public int BatchGear { get; }

    /// <summary>Batched calls run, and the rows they held (batch occupancy = RowSteps / Steps).</summary>
    public long Steps => Interlocked.Read(ref _steps);

    public long RowSteps => Interlocked.Read(ref _rowSteps);

    private long _steps, _rowSteps;
    private int _running;

    /// <summary>Requests the worker holds (prefilling or generating) after its last iteration.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// Streams a generation of <paramref name="prompt"/> as <see cref="Generator.StreamAsync"/> does (same updates, stop
    /// strings, finish reasons and metrics). <paramref name="prefix"/>: a sequence of this model whose cache holds a
    /// strict prefix of the prompt (the probe's); the scheduler owns it from here. Cancelling, or leaving the stream
    /// early, retires the request at the next iteration.
    /// </summary>
    public async IAsyncEnumerable<GenerationUpdate> StreamAsync(int[] prompt, GenerationOptions options, Sequence? prefix = null,
        LanguageModel? drafter = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ScheduledRequest request;
        try
        {
            request = Admit(prompt, options, prefix, drafter, leave.Token);
        }
        catch
        {
            prefix?.Dispose();   // owned from the call on, refused or not
            throw;
        }
        try
        {
            var text = new TextAccumulator(_model, options.StopStrings);
            var generated = new List<int>();
            GenerationMetrics? metrics = null;
            // A cancelled caller stops reading at once; the worker retires its row at the next iteration.
            await foreach (var emission in request.Output.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                cancellation.ThrowIfCancellationRequested();   // tokens already buffered are not handed out after a cancel
                generated.AddRange(emission.Tokens);
                metrics = emission.Metrics ?? metrics;
                if (text.Append(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(generated), out var delta))
                {
                    yield return new GenerationUpdate(emission.Tokens, delta, FinishReason.Stop, emission.Metrics ?? request.Metrics(), emission.Logprobs);
                    yield break;
                }
                if (emission.Finish is { } finish)
                {
                    yield return new GenerationUpdate(emission.Tokens, delta + text.Flush(), finish, emission.Metrics, emission.Logprobs);
                    yield break;
                }
                if (emission.Tokens.Length > 0 || delta.Length > 0)
                    yield return new GenerationUpdate(emission.Tokens, delta, Logprobs: emission.Logprobs);
            }
            cancellation.ThrowIfCancellationRequested();
            yield return new GenerationUpdate([], text.Flush(), FinishReason.Length, metrics ?? request.Metrics());
        }
        finally
        {
            // Leaving early (a stop string, a consumer that went away): the worker retires the row at its next iteration.
            leave.Cancel();
            _wake.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> (device work on this model, e.g. a probe) on the worker between two iterations.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellation = default)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellation.Register(() => done.TrySetCanceled(cancellation));
        Enqueue(_work, new WorkItem(() =>
        {
            registration.Dispose();
            if (done.Task.IsCompleted)
                return;
            try
            {
                var result = work();
                if (!done.TrySetResult(result))
                    (result as IDisposable)?.Dispose();   // the caller cancelled meanwhile: nobody takes it
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, error =>
        {
            registration.Dispose();
            done.TrySetException(error);
        }));
        return done.Task;
    }

    private ScheduledRequest Admit(int[] prompt, GenerationOptions options, Sequence? prefix, LanguageModel? drafter, CancellationToken cancellation)
    {
        GenerationSession.Check(_model, prompt, options, drafter, prefix);
        var request = new ScheduledRequest(_model, prompt, options, prefix, drafter, cancellation);
        Enqueue(_incoming, request);
        return request;
    }

    private void Enqueue<T>(Channel<T> channel, T item)
    {
        if (_failure is { } failure)
            throw new InvalidOperationException($"the step scheduler of {_model.Name} stopped: {failure.Message}", failure);
        ObjectDisposedException.ThrowIf(!channel.Writer.TryWrite(item), this);
        _wake.Release();
    }

    private int Active
    {
        get
        {
            var active = _prefilling.Count + _sessions.Count;
            foreach (var lane in _lanes)
                active += lane.Rows.Count;
            return active;
        }
    }

    private void Work()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (Active == 0 && !_work.Reader.TryPeek(out _) && !_incoming.Reader.TryPeek(out _))
                {
                    _wake.Wait(_stop.Token);   // idle until something arrives
                    while (_wake.Wait(0))
                    {
                        // Wakes released while busy are stale: the loop below sees all there is.
                    }
                }
                while (_work.Reader.TryRead(out var work))
                    work.Run();
                while (Active < Capacity && _incoming.Reader.TryRead(out var arrived))
                    _prefilling.Add(arrived);
                Prefill();
                StepSessions();
                StepLanes();
                Volatile.Write(ref _running, Active);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A fault of the scheduler itself (not of one request): refuse new work, fail what it held.
            _failure = e;
            FailAll(e);
        }
        FailAll(new ObjectDisposedException(nameof(StepScheduler)));
    }

    private void FailAll(Exception error)
    {
        Volatile.Write(ref _running, 0);
        _incoming.Writer.TryComplete();
        _work.Writer.TryComplete();
        foreach (var request in _prefilling.Concat(_sessions).Concat(_lanes.SelectMany(l => l.Rows)))
            request.Fail(error);
        _prefilling.Clear();
        _sessions.Clear();
        foreach (var lane in _lanes)
        {
            lane.Rows.Clear();
            lane.Batch.Dispose();
        }
        _lanes.Clear();
        while (_incoming.Reader.TryRead(out var left))
            left.Fail(error);
        while (_work.Reader.TryRead(out var work))
            work.Fail(error);
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
            return;
        _stop.Cancel();
        _worker.Join();
        _stop.Dispose();
        // _wake stays undisposed: a stream that ends after the scheduler still releases it (it holds no wait handle).
    }

    /// <summary>Device work queued for the worker, and how to fail it when the worker stops first.</summary>
    private sealed record WorkItem(Action Run, Action<Exception> Fail);
}
