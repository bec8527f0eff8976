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
                CopyRow(cache.Buffer, cache.Capacity, 1, 0, _block!, _window, _batch, row, cache.Length);
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
    /// <paramref name="next"/>[i] receives its greedy next token. Allocates nothing unless a gear changes.
    /// </summary>
    public void Step(ReadOnlySpan<int> tokens, Span<int> next)
    {
        if (tokens.Length != Count || next.Length < Count)
            throw new ArgumentException($"one token per row ({Count}) and room for as many next tokens");
        if (Count == 0)
            return;
        Span<int> positions = stackalloc int[Count];
        for (var i = 0; i < Count; i++)
        {
            positions[i] = _lengths[i];
            if (positions[i] + 1 > _model.ContextLimit)
                throw new ContextOverflowException(_model.Name, positions[i] + 1, _model.ContextLimit);
        }
        using (_model.Gate.Enter())
        {
            using var range = ProfilerRange.Start(ProfilerRangeName.Decode);
            Layout(_batch, WindowGear(LongestRow() + 1));
            var graph = _model.Graph;
            graph.RunRows(tokens, positions, _batch, _window, _block!, _model.PadId);
            _model.CountForwardPass();
            var ids = graph.ReadNextIds(Count);
            for (var i = 0; i < Count; i++)
            {
                next[i] = (int)ids[i];
                Commit(graph.KvNew, i, positions[i]);
                _lengths[i]++;
            }
        }
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
                CopyRow(_block!, _window, _batch, last, _block!, _window, _batch, row, _lengths[last]);
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
                    CopyRow(_block, _window, _batch, r, block, window, batch, r, _lengths[r]);
        }
        catch
        {
            block.Dispose();
            throw;
        }
        _block?.Dispose();
        (_block, _batch, _window) = (block, batch, window);
    }

    /// <summary>
    /// Copies <paramref name="length"/> positions of row <paramref name="fromRow"/> of a (2, layers, batch, kv_heads,
    /// window, head_dim) block into row <paramref name="toRow"/> of another (a single cache is batch 1).
    /// </summary>
    private void CopyRow(DeviceBuffer from, int fromWindow, int fromBatch, int fromRow, DeviceBuffer to, int toWindow, int toBatch, int toRow, int length)
    {
        if (length == 0)
            return;
        long fromRun = _layout.RunBytes(fromWindow), toRun = _layout.RunBytes(toWindow), bytes = _layout.RunBytes(length);
        for (var kv = 0; kv < 2; kv++)
            for (var layer = 0; layer < _layout.Layers; layer++)
                for (var head = 0; head < _layout.KvHeads; head++)
                {
                    long source = (((long)kv * _layout.Layers + layer) * fromBatch + fromRow) * _layout.KvHeads + head;
                    long destination = (((long)kv * _layout.Layers + layer) * toBatch + toRow) * _layout.KvHeads + head;
                    to.CopyFrom(from, source * fromRun, destination * toRun, bytes);
                }
    }

    /// <summary>Row <paramref name="row"/>'s entry of kv_new (layers, 2, batch, kv_heads, 1, head_dim) into slot <paramref name="position"/>.</summary>
    private void Commit(DeviceBuffer kvNew, int row, int position)
    {
        long slot = _layout.RunBytes(1), run = _layout.RunBytes(_window);
        for (var layer = 0; layer < _layout.Layers; layer++)
            for (var kv = 0; kv < 2; kv++)
                for (var head = 0; head < _layout.KvHeads; head++)
                {
                    long source = (((long)layer * 2 + kv) * _batch + row) * _layout.KvHeads + head;
                    long destination = (((long)kv * _layout.Layers + layer) * _batch + row) * _layout.KvHeads + head;
                    _block!.CopyFrom(kvNew, source * slot, destination * run + position * slot, slot);
                }
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
