using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// Sequences decoding together, one graph call per step for all of them. Their caches live in one KV block
/// (2, layers, batch, kv_heads, window, head_dim) whose halves bind in place as past_k / past_v (layers, batch,
/// kv_heads, window, head_dim): batch is the smallest compiled batch gear holding the rows, window the smallest gear
/// holding the longest row. Each row has its own position and is masked by it, so rows of any lengths share a call.
/// A prefilled <see cref="Sequence"/> joins with one copy of its entries; a step commits each row's new entry into its
/// slot; the block is laid out again (one copy of every row's entries) only when the batch or the window gear
/// changes. Row i is slot i: removing a row moves the last row into its slot.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    private readonly LanguageModel _model;
    private readonly KvLayout _layout;
    private readonly List<int> _lengths = [];
    private DeviceBuffer? _block;
    private int _batch;
    private int _window;

    public SequenceBatch(LanguageModel model)
    {
        _model = model;
        _layout = model.Manifest.KvLayout;
        Capacity = model.Graph.BatchGears[^1];
    }

    /// <summary>The most rows a step can take: the largest compiled batch gear.</summary>
    public int Capacity { get; }

    public int Count => _lengths.Count;

    /// <summary>Committed positions of row <paramref name="row"/>.</summary>
    public int Length(int row) => _lengths[row];

    /// <summary>The block's current (batch gear, window gear).</summary>
    public (int Batch, int Window) Gears => (_batch, _window);

    /// <summary>Device bytes of the KV block.</summary>
    public long Bytes => _block?.Size ?? 0;

    /// <summary>Moves a prefilled sequence's entries into the next row; the sequence is left empty. Returns the row.</summary>
    public int Add(Sequence sequence)
    {
        if (sequence.Model != _model)
            throw new ArgumentException("the sequence runs on another model", nameof(sequence));
        if (Count == Capacity)
            throw new InvalidOperationException($"the batch is full ({Capacity} rows, the largest batch gear)");
        if (sequence.Length == 0)
            throw new ArgumentException("prefill the sequence before it joins a batch", nameof(sequence));
        var cache = sequence.DetachCache()!;
        try
        {
            using (_model.Gate.Enter())
            {
                Layout(BatchGear(Count + 1), WindowGear(Math.Max(LongestRow(), cache.Length + 1)));
                var row = Count;
                _lengths.Add(cache.Length);
                KvRuns.CopyRow(_layout, cache.Buffer, cache.Capacity, 1, 0, _block!, _window, _batch, row, cache.Length);
                return row;
            }
        }
        finally
        {
            _model.Caches.Return(cache);
        }
    }

    /// <summary>
    /// One decode step: row i processes <paramref name="tokens"/>[i] at position Length(i) and commits it;
    /// <paramref name="next"/>[i] receives its greedy next token, and when <paramref name="logits"/> is not empty
    /// (rows × vocab) row i's next-token logits too. Allocates nothing unless a gear changes.
    /// </summary>
    public void Step(ReadOnlySpan<int> tokens, Span<int> next, Span<float> logits = default)
    {
        if (tokens.Length != Count || next.Length < Count)
            throw new ArgumentException($"one token per row ({Count}) and room for as many next tokens");
        if (Count == 0)
            return;
        Span<int> positions = stackalloc int[Count];
        Positions(positions, 1);
        using (_model.Gate.Enter())
        {
            using var range = ProfilerRange.Start(ProfilerRangeName.Decode);
            Layout(_batch, WindowGear(LongestRow() + 1));
            var graph = _model.Graph;
            graph.RunRows(tokens, 1, positions, _batch, _window, _block!, _model.PadId);
            _model.CountForwardPass();
            var ids = graph.ReadNextIds(Count);
            for (var i = 0; i < Count; i++)
            {
                next[i] = (int)ids[i];
                KvRuns.CommitNew(_layout, graph.KvNew, _batch, 1, i, _block!, _batch, _window, i, positions[i], 1);
                _lengths[i]++;
            }
            ReadLogits(logits, 1);
        }
    }

    /// <summary>Whether every row can take a verify step (its K+1 slots fit the context).</summary>
    public bool CanVerify()
    {
        var k = _model.Manifest.VerifyK;
        return Count > 0 && LongestRow() + k + 1 <= _model.ContextLimit;
    }

    /// <summary>
    /// One verify step, the in-graph verifier per row: row i processes its pending token and <paramref name="draftCounts"/>[i]
    /// drafts, laid out in <paramref name="tokens"/>[i·(K+1)..] (a row with no drafts is a plain decode row). Each row
    /// commits its pending token's entry and the accepted drafts'; <paramref name="produced"/>[i·(K+1)..] receives the
    /// accepted drafts followed by the model's next token, and <paramref name="producedCounts"/>[i] their number. With
    /// <paramref name="logits"/> (rows × vocab), the logits after each row's pending token (a sampled row has no drafts).
    /// </summary>
    public void Verify(ReadOnlySpan<int> tokens, ReadOnlySpan<int> draftCounts, Span<int> produced, Span<int> producedCounts, Span<float> logits = default)
    {
        var slots = _model.Manifest.VerifyK + 1;
        if (tokens.Length != Count * slots || draftCounts.Length != Count || produced.Length < Count * slots || producedCounts.Length < Count)
            throw new ArgumentException($"K+1 = {slots} token slots and one draft count per row ({Count}), room for as many results");
        if (Count == 0)
            return;
        if (!CanVerify())
            throw new ContextOverflowException(_model.Name, LongestRow() + slots, _model.ContextLimit);
        Span<int> positions = stackalloc int[Count];
        Positions(positions, slots);
        using (_model.Gate.Enter())
        {
            using var range = ProfilerRange.Start(ProfilerRangeName.Verify);
            Layout(_batch, WindowGear(LongestRow() + slots));
            var graph = _model.Graph;
            graph.RunRows(tokens, slots, positions, _batch, _window, _block!, _model.PadId);
            _model.CountForwardPass();
            var accepted = graph.ReadAccepted(Count);
            var ids = graph.ReadNextIds(Count * slots);
            for (var i = 0; i < Count; i++)
            {
                var drafts = draftCounts[i];
                if (drafts < 0 || drafts > slots - 1)
                    throw new ArgumentOutOfRangeException(nameof(draftCounts), drafts, $"a row takes 0..{slots - 1} drafts");
                // Padding slots may match by chance: acceptance is capped at the row's own drafts.
                var taken = (int)Math.Min(accepted[i], drafts);
                var row = produced.Slice(i * slots, slots);
                tokens.Slice(i * slots + 1, taken).CopyTo(row);
                row[taken] = (int)ids[i * slots + taken];
                producedCounts[i] = taken + 1;
                KvRuns.CommitNew(_layout, graph.KvNew, _batch, slots, i, _block!, _batch, _window, i, positions[i], taken + 1);
                _lengths[i] += taken + 1;
            }
            ReadLogits(logits, slots);
        }
    }

    /// <summary>Each row's position; throws when <paramref name="slots"/> more would cross the context.</summary>
    private void Positions(Span<int> positions, int slots)
    {
        for (var i = 0; i < Count; i++)
        {
            positions[i] = _lengths[i];
            if (positions[i] + slots > _model.ContextLimit)
                throw new ContextOverflowException(_model.Name, positions[i] + slots, _model.ContextLimit);
        }
    }

    /// <summary>The logits at each row's first slot into (rows × vocab), when asked for.</summary>
    private void ReadLogits(Span<float> logits, int slots)
    {
        if (logits.IsEmpty)
            return;
        var vocab = _model.VocabSize;
        if (logits.Length < Count * vocab)
            throw new ArgumentException($"logits need rows × vocab = {Count * vocab} values", nameof(logits));
        for (var i = 0; i < Count; i++)
            _model.Graph.ReadLogits(i * slots, logits.Slice(i * vocab, vocab));
    }

    /// <summary>Retires row <paramref name="row"/> at once; the last row moves into its slot (its index becomes <paramref name="row"/>).</summary>
    public void Remove(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        using (_model.Gate.Enter())
        {
            var last = Count - 1;
            if (row != last)
            {
                KvRuns.CopyRow(_layout, _block!, _window, _batch, last, _block!, _window, _batch, row, _lengths[last]);
                _lengths[row] = _lengths[last];
            }
            _lengths.RemoveAt(last);
            if (Count == 0)
                Free();
            else
                Layout(BatchGear(Count), _window);
        }
    }

    private int LongestRow()
    {
        var longest = 0;
        foreach (var length in _lengths)
            longest = Math.Max(longest, length);
        return longest;
    }

    private int BatchGear(int rows)
    {
        foreach (var gear in _model.Graph.BatchGears)
            if (gear >= rows)
                return gear;
        throw new InvalidOperationException($"{rows} rows exceed the largest batch gear ({Capacity})");
    }

    private int WindowGear(int positions) =>
        _model.Caches.GearFor(positions) ?? throw new ContextOverflowException(_model.Name, positions, _model.ContextLimit);

    /// <summary>Re-lays the block out at (batch, window) when either gear changes: one copy of every row's entries.</summary>
    private void Layout(int batch, int window)
    {
        if (_block is not null && batch == _batch && window == _window)
            return;
        var block = _model.Device.Allocate(batch * _layout.BytesFor(window));
        try
        {
            block.Fill(0);   // padding rows and slots past each row's length are masked, but must be finite
            if (_block is not null)
                for (var r = 0; r < Count && r < batch; r++)
                    KvRuns.CopyRow(_layout, _block, _window, _batch, r, block, window, batch, r, _lengths[r]);
        }
        catch
        {
            block.Dispose();
            throw;
        }
        _block?.Dispose();
        (_block, _batch, _window) = (block, batch, window);
    }

    private void Free()
    {
        _block?.Dispose();
        _block = null;
        (_batch, _window) = (0, 0);
    }

    public void Dispose()
    {
        using (_model.Gate.Enter())
        {
            _lengths.Clear();
            Free();
        }
    }
}
