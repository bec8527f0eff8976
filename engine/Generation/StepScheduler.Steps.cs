using System.Diagnostics;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

public sealed partial class StepScheduler
{
    private float[]? _prefillLogits;   // (vocab) the first token of a request that needs logits

    /// <summary>Spends the iteration's prefill budget on waiting requests in arrival order, a chunk at a time.</summary>
    private void Prefill()
    {
        var budget = _prefillBudget;
        var waiting = _prefilling.Count > 0;
        // Prompts shorter than this cost less fed a token per batched step than as a prefill call, which computes a whole chunk.
        for (var i = 0; i < _prefilling.Count && budget > 0;)
        {
            var request = _prefilling[i];
            if (request.Cancellation.IsCancellationRequested)
            {
                _prefilling.RemoveAt(i);
                request.Fail(null);
                continue;
            }
            if (!request.Started)
            {
                request.Started = true;
                SchedulerMetrics.RecordRowWait(ServedName, Stopwatch.GetElapsedTime(request.ArrivedAt));
            }
            try
            {
                request.Sequence ??= _model.CreateSequence();
                var sequence = request.Sequence;
                var remaining = request.Prompt.Length - sequence.Length;
                if (request.IsRow && remaining < _feedBelow)
                {
                    // A short rest is fed through the batched steps, a token per step, beside the running rows.
                    _prefilling.RemoveAt(i);
                    request.Sequence = null;
                    Join(request, sequence);
                    continue;
                }
                // A session (draft speculation) prefills all but the last token here; its Start prefills that one.
                var target = request.IsRow ? request.Prompt.Length : request.Prompt.Length - 1;
                var first = -1;
                if (sequence.Length < target)
                {
                    var take = Math.Min(_model.Manifest.PrefillChunk, target - sequence.Length);
                    first = PrefillChunk(request, sequence, take);
                    budget -= take;
                    if (sequence.Length < target)
                        continue;   // more next iteration (or with what is left of the budget)
                }
                _prefilling.RemoveAt(i);
                request.Sequence = null;
                if (!request.IsRow)
                {
                    request.Session = GenerationSession.Start(_model, request.Prompt, request.Options, request.Drafter, sequence);
                    _sessions.Add(request);
                }
                else if (request.Accept([first], request.FirstLogprob))
                {
                    sequence.Dispose();   // finished at its first token
                }
                else
                {
                    Join(request, sequence);
                }
            }
            catch (Exception e)
            {
                // This request's own failure: it fails alone.
                _prefilling.Remove(request);
                request.Fail(e);
            }
        }
        if (waiting)
            SchedulerMetrics.RecordPrefillBudget(ServedName, Math.Min(1, (double)(_prefillBudget - budget) / _prefillBudget));
    }

    /// <summary>Prefills the next <paramref name="take"/> prompt tokens; the request's first token when that was the last chunk.</summary>
    private int PrefillChunk(ScheduledRequest request, Sequence sequence, int take)
    {
        var start = Stopwatch.GetTimestamp();
        var passes = sequence.ForwardPasses;
        var tokens = request.Prompt.AsSpan(sequence.Length, take);
        var last = sequence.Length + take == request.Prompt.Length;
        var first = -1;
        if (last && request.NeedsLogits)
        {
            _prefillLogits ??= new float[_model.VocabSize];
            sequence.PrefillLogits(tokens, _prefillLogits);
            first = request.Choose(_prefillLogits, out var logprob);
            request.FirstLogprob = logprob;
        }
        else
        {
            first = sequence.Prefill(tokens);
        }
        request.AddPrefill(Stopwatch.GetElapsedTime(start).TotalMilliseconds, sequence.ForwardPasses - passes);
        return first;
    }

    /// <summary>Moves a request's entries into the first lane with a free row; the prompt tokens not in them are fed there.</summary>
    private void Join(ScheduledRequest request, Sequence sequence)
    {
        var lane = _lanes.FirstOrDefault(l => l.Rows.Count < BatchGear) ?? NewLane();
        using (sequence)
        {
            request.Fed = sequence.Length;
            if (sequence.Length == 0)
                lane.Batch.AddEmpty();
            else
                lane.Batch.Add(sequence);
        }
        lane.Rows.Add(request);
    }

    /// <summary>One step of each request that runs as a session of its own (draft speculation).</summary>
    private void StepSessions()
    {
        for (var i = _sessions.Count - 1; i >= 0; i--)
        {
            var request = _sessions[i];
            var done = true;
            try
            {
                var session = request.Session!;
                if (request.Cancellation.IsCancellationRequested)
                    request.Fail(null);
                else if (!session.Step())
                    request.Finish([], session.Finish ?? FinishReason.Length, session.Metrics);
                else if (session.Finish is { } finish)
                    request.Finish(session.NewTokens.ToArray(), finish, session.Metrics);
                else
                    done = request.Emit(session.NewTokens.ToArray());
            }
            catch (Exception e)
            {
                request.Fail(e);
            }
            if (done)
                _sessions.RemoveAt(i);
        }
    }

    /// <summary>One batched step per lane for its running rows; retires rows that finished or were cancelled.</summary>
    private void StepLanes()
    {
        for (var l = 0; l < _lanes.Count; l++)
        {
            var lane = _lanes[l];
            var rows = lane.Rows;
            for (var r = rows.Count - 1; r >= 0; r--)
                if (rows[r].Cancellation.IsCancellationRequested)
                    Retire(lane, r, null);
            if (rows.Count == 0)
                continue;
            var count = rows.Count;
            var verify = ProposeDrafts(lane);
            var logits = rows.Exists(r => r.NeedsLogits) ? lane.Logits(count, _model.VocabSize) : default;
            var start = Stopwatch.GetTimestamp();
            try
            {
                if (verify)
                {
                    lane.Batch.Verify(lane.Tokens.AsSpan(0, count * lane.Slots), lane.DraftCounts.AsSpan(0, count),
                        lane.Produced, lane.ProducedCounts, logits);
                }
                else
                {
                    for (var r = 0; r < count; r++)
                        lane.Tokens[r] = rows[r].Input;
                    lane.Batch.Step(lane.Tokens.AsSpan(0, count), lane.Produced, logits);
                }
            }
            catch (Exception e)
            {
                // The call failed and committed nothing. A lone row fails; rows that shared the call are retried next
                // iteration each in a lane of its own, with the same inputs, so only the failing one fails.
                if (rows.Count == 1)
                    Retire(lane, 0, e);
                else
                    Isolate(lane);
                continue;
            }
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Interlocked.Increment(ref _steps);
            Interlocked.Add(ref _rowSteps, count);
            SchedulerMetrics.RecordStep(ServedName, count);
            for (var r = count - 1; r >= 0; r--)
            {
                var request = rows[r];
                if (request.Feeding)
                {
                    // A prompt token went in; only the prompt's last one yields the first generated token.
                    request.AddFed(ms, count);
                    if (request.Feeding)
                        continue;
                }
                else
                {
                    request.AddStep(ms, count);
                }
                var produced = verify
                    ? lane.Produced.AsSpan(r * lane.Slots, lane.ProducedCounts[r])
                    : lane.Produced.AsSpan(r, 1);
                if (verify)
                    request.AddDrafts(lane.DraftCounts[r], lane.ProducedCounts[r] - 1);
                TokenLogprob? logprob = null;
                if (request.NeedsLogits)
                {
                    produced[0] = request.Choose(logits.Slice(r * _model.VocabSize, _model.VocabSize), out logprob);
                    produced = produced[..1];
                }
                if (request.Accept(produced, logprob))
                    Retire(lane, r, null);
            }
        }
        // Lanes left empty (rows finished, or were isolated after a fault) go, but the first.
        for (var l = _lanes.Count - 1; l >= 1; l--)
        {
            if (_lanes[l].Rows.Count == 0)
            {
                _lanes[l].Batch.Dispose();
                _lanes.RemoveAt(l);
            }
        }
    }

    /// <summary>Moves every row of <paramref name="lane"/> into a lane of its own, appended: this iteration steps them after the others.</summary>
    private void Isolate(Lane lane)
    {
        for (var r = lane.Rows.Count - 1; r >= 0; r--)
        {
            var alone = NewLane();
            lane.Batch.MoveTo(r, alone.Batch);   // the lane's last row moves into slot r, as its request does below
            alone.Rows.Add(lane.Rows[r]);
            lane.Rows[r] = lane.Rows[^1];
            lane.Rows.RemoveAt(lane.Rows.Count - 1);
        }
    }

    private Lane NewLane()
    {
        var lane = new Lane(new SequenceBatch(_model), BatchGear, _model.Manifest.VerifyK + 1);
        _lanes.Add(lane);
        return lane;
    }

    /// <summary>Lays out each row's pending token and its PLD drafts; true when any row has drafts (a verify step).</summary>
    private static bool ProposeDrafts(Lane lane)
    {
        if (!lane.Rows.Exists(r => r.UsesPromptLookup && !r.Feeding) || !lane.Batch.CanVerify())
            return false;
        var any = false;
        for (var r = 0; r < lane.Rows.Count; r++)
        {
            var request = lane.Rows[r];
            var slot = lane.Tokens.AsSpan(r * lane.Slots, lane.Slots);
            slot[0] = request.Input;
            var drafts = 0;
            if (request.UsesPromptLookup && !request.Feeding && request.Options.Strategy is PromptLookupDecoding pld)
            {
                var room = Math.Min(Math.Min(pld.LookAhead, lane.Slots - 1), request.DraftRoom);
                drafts = room > 0 ? PromptLookup.Propose(request.Tokens.AsSpan(0, request.Count), pld.MaxNgram, slot.Slice(1, room)) : 0;
            }
            lane.DraftCounts[r] = drafts;
            any |= drafts > 0;
        }
        return any;
    }

    /// <summary>Retires row <paramref name="row"/> at once (its KV slot freed); the lane's last row moves into its slot.</summary>
    private static void Retire(Lane lane, int row, Exception? error)
    {
        lane.Rows[row].Fail(error);   // completes the stream; a finished request has completed it already
        lane.Batch.Remove(row);
        lane.Rows[row] = lane.Rows[^1];
        lane.Rows.RemoveAt(lane.Rows.Count - 1);
    }

    /// <summary>One batched call's rows and its step buffers, sized once for the batch gear.</summary>
    private sealed class Lane(SequenceBatch batch, int gear, int slots)
    {
        private float[]? _logits;

        public SequenceBatch Batch { get; } = batch;

        public List<ScheduledRequest> Rows { get; } = new(gear);

        /// <summary>Token slots per row of a verify step (K + 1).</summary>
        public int Slots { get; } = slots;

        public int[] Tokens { get; } = new int[gear * slots];          // (rows, K+1) pending then drafts; decode: (rows)
        public int[] DraftCounts { get; } = new int[gear];
        public int[] Produced { get; } = new int[gear * slots];        // (rows, K+1); decode: (rows)
        public int[] ProducedCounts { get; } = new int[gear];

        /// <summary>(rows, vocab) next-token logits, for sampled rows.</summary>
        public Span<float> Logits(int rows, int vocab) => (_logits ??= new float[gear * vocab]).AsSpan(0, rows * vocab);
    }
}
