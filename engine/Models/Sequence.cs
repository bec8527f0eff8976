using AscendAio.Engine.Acl;

namespace AscendAio.Engine.Models;

/// <summary>
/// One sequence on one model: its KV cache and the forward calls that extend it. The cache holds entries for
/// positions 0..<see cref="Length"/>-1 and is rented at the first call, at the gear its positions need, and grown
/// into the next gear when a call would cross it. Each call processes tokens at the next positions and commits the
/// entries it keeps. Disposing returns the cache to the pool at once.
/// </summary>
public sealed class Sequence : IDisposable
{
    private KvCache? _cache;
    private bool _disposed;

    internal Sequence(LanguageModel model) => Model = model;

    public LanguageModel Model { get; }

    /// <summary>Committed positions.</summary>
    public int Length => _cache?.Length ?? 0;

    /// <summary>Positions the current cache holds before it must grow (0 before the first call).</summary>
    public int Capacity => _cache?.Capacity ?? 0;

    /// <summary>Forward passes this sequence ran.</summary>
    public int ForwardPasses { get; private set; }

    /// <summary>
    /// Processes <paramref name="tokens"/> at positions Length.. (prefill chunks, single decode steps for a few
    /// catch-up tokens) and returns the greedy next token after the last one.
    /// </summary>
    public int Prefill(ReadOnlySpan<int> tokens) => Extend(tokens, default);

    /// <summary>Like <see cref="Prefill"/>, but writes the logits after the last token into <paramref name="logits"/> (vocab).</summary>
    public void PrefillLogits(ReadOnlySpan<int> tokens, Span<float> logits) => Extend(tokens, logits, wantLogits: true);

    /// <summary>Processes one token; returns the greedy next token.</summary>
    public int Decode(int token) => Extend([token], default);

    /// <summary>Processes one token; writes the next-token logits (vocab).</summary>
    public void DecodeLogits(int token, Span<float> logits) => Extend([token], logits, wantLogits: true);

    /// <summary>Whether a verify call for <paramref name="draftCount"/> drafts fits the context.</summary>
    public bool CanVerify(int draftCount) =>
        draftCount >= 1 && draftCount <= Model.Manifest.VerifyK && Length + draftCount + 1 <= Model.ContextLimit;

    /// <summary>Grows the cache now to the gear that holds <paramref name="positions"/> (benchmarks pin a window this way).</summary>
    public void Reserve(int positions)
    {
        using (Model.Gate.Enter())
            EnsureCapacity(positions);
    }

    /// <summary>
    /// One verify call: <paramref name="last"/> (the pending token) plus <paramref name="drafts"/> at positions Length..
    /// The in-graph verifier returns how many drafts match the model's own argmax; those entries plus the pending
    /// token's are committed. Writes the accepted drafts followed by the model's next token into
    /// <paramref name="produced"/> and returns how many tokens that is (accepted + 1).
    /// </summary>
    public int Verify(int last, ReadOnlySpan<int> drafts, Span<int> produced)
    {
        var k = Model.Manifest.VerifyK;
        if (drafts.Length < 1 || drafts.Length > k)
            throw new ArgumentOutOfRangeException(nameof(drafts), drafts.Length, $"verify takes 1..{k} drafts");
        using (Model.Gate.Enter())
        {
            using var range = ProfilerRange.Start(ProfilerRangeName.Verify);
            var position = Length;
            EnsureCapacity(position + drafts.Length + 1);
            var cache = _cache!;
            // (K+1) tokens: the pending token, then the drafts; the graph pads unused slots, and acceptance is capped below.
            Span<int> input = stackalloc int[k + 1];
            input[0] = last;
            drafts.CopyTo(input[1..]);
            var graph = Model.Graph;
            graph.Run(input[..(drafts.Length + 1)], k + 1, position, cache, Model.PadId);
            Count();
            var accepted = Math.Min(graph.ReadAccepted(), drafts.Length);
            var ids = graph.ReadNextIds(accepted + 1);
            drafts[..accepted].CopyTo(produced);
            produced[accepted] = (int)ids[accepted];
            cache.Commit(graph.KvNew, k + 1, accepted + 1, position);
            return accepted + 1;
        }
    }

    /// <summary>Hands the cache over (a <see cref="SequenceBatch"/> takes a prefilled sequence's entries); the sequence is empty after.</summary>
    internal KvCache? DetachCache()
    {
        using (Model.Gate.Enter())
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Interlocked.Exchange(ref _cache, null);
        }
    }

    /// <summary>Drops entries from <paramref name="length"/> on (rejected drafts; reusing a shared prefix).</summary>
    public void Truncate(int length)
    {
        if (_cache is null)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (length != 0)
                throw new ArgumentOutOfRangeException(nameof(length), length, "cache holds 0 positions");
            return;
        }
        _cache.Truncate(length);
    }

    private int Extend(ReadOnlySpan<int> tokens, Span<float> logits, bool wantLogits = false)
    {
        if (tokens.IsEmpty)
            throw new ArgumentException("nothing to process", nameof(tokens));
        if (Length + tokens.Length > Model.ContextLimit)
            throw new ContextOverflowException(Model.Name, Length + tokens.Length, Model.ContextLimit);
        var chunk = Model.Manifest.PrefillChunk;
        var graph = Model.Graph;
        var next = -1;
        // The gate is taken per call: between a long prefill's chunks, steps other sequences queued run first.
        while (!tokens.IsEmpty)
        {
            using var turn = Model.Gate.Enter();
            var position = Length;
            // A few catch-up tokens go through single-token calls: a whole prefill chunk for two tokens would cost
            // more than two decode steps.
            var slots = tokens.Length >= Math.Max(2, chunk / 8) ? chunk : 1;
            var take = Math.Min(slots, tokens.Length);
            using var range = ProfilerRange.Start(slots == 1 ? ProfilerRangeName.Decode : ProfilerRangeName.Prefill);
            EnsureCapacity(position + take);
            var cache = _cache!;
            graph.Run(tokens[..take], slots, position, cache, Model.PadId);
            Count();
            cache.Commit(graph.KvNew, slots, take, position);
            tokens = tokens[take..];
            if (!tokens.IsEmpty)
                continue;
            if (wantLogits)
                graph.ReadLogits(take - 1, logits);
            else
                next = (int)graph.ReadNextIds(take)[take - 1];
        }
        return next;
    }

    /// <summary>Rents or grows the cache so it holds <paramref name="positions"/>. Caller holds the model's gate.</summary>
    private void EnsureCapacity(int positions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cache is not null && positions <= _cache.Capacity)
            return;
        var gear = Model.Caches.GearFor(positions) ?? throw new ContextOverflowException(Model.Name, positions, Model.ContextLimit);
        _cache = _cache is null ? Model.Caches.Rent(gear) : Model.Caches.Grow(_cache, gear);
    }

    private void Count()
    {
        ForwardPasses++;
        Model.CountForwardPass();
    }

    public void Dispose()
    {
        using (Model.Gate.Enter())
        {
            _disposed = true;
            var cache = Interlocked.Exchange(ref _cache, null);
            if (cache is not null)
                Model.Caches.Return(cache);
        }
    }
}
