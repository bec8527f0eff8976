using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// One sequence on one model: its KV cache and the forward calls that extend it. The cache holds entries for
/// positions 0..<see cref="Length"/>-1; each call processes tokens at the next positions and commits the
/// entries it keeps. Disposing returns the cache to the pool at once.
/// </summary>
public sealed class Sequence : IDisposable
{
    private KvCache? _cache;

    internal Sequence(LanguageModel model, KvCache cache)
    {
        Model = model;
        _cache = cache;
    }

    public LanguageModel Model { get; }

    /// <summary>Committed positions.</summary>
    public int Length => Cache.Length;

    /// <summary>Forward passes this sequence ran.</summary>
    public int ForwardPasses { get; private set; }

    private KvCache Cache => _cache ?? throw new ObjectDisposedException(nameof(Sequence));

    /// <summary>
    /// Processes <paramref name="tokens"/> at positions Length.. (prefill chunks where they fit, single decode
    /// steps near the end of the context) and returns the greedy next token after the last one.
    /// </summary>
    public int Prefill(ReadOnlySpan<int> tokens) => Extend(tokens, GraphVariant.Greedy, default);

    /// <summary>Like <see cref="Prefill"/>, but writes the logits after the last token into <paramref name="logits"/> (vocab).</summary>
    public void PrefillLogits(ReadOnlySpan<int> tokens, Span<float> logits) => Extend(tokens, GraphVariant.Logits, logits);

    /// <summary>Processes one token; returns the greedy next token.</summary>
    public int Decode(int token) => Extend([token], GraphVariant.Greedy, default);

    /// <summary>Processes one token; writes the next-token logits (vocab).</summary>
    public void DecodeLogits(int token, Span<float> logits) => Extend([token], GraphVariant.Logits, logits);

    /// <summary>Whether a verify call for <paramref name="draftCount"/> drafts fits the loaded gears.</summary>
    public bool CanVerify(int draftCount) =>
        draftCount >= 1 && draftCount <= Model.Manifest.VerifyK &&
        Model.Find(GraphKind.Verify, GraphVariant.Greedy, Length + Model.Manifest.VerifyK + 1) is not null;

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
        lock (Model.Gate)
        {
            var position = Length;
            var runner = Model.Find(GraphKind.Verify, GraphVariant.Greedy, position + k + 1)
                ?? throw new ContextOverflowException(Model.Name, position + k + 1, Model.ContextLimit);
            // (K+1) tokens: the pending token, then the drafts; the runner pads unused slots, and acceptance is capped below.
            Span<int> input = stackalloc int[k + 1];
            input[0] = last;
            drafts.CopyTo(input[1..]);
            runner.Run(input[..(drafts.Length + 1)], position, Cache, Model.PadId);
            Count();
            var accepted = Math.Min(runner.ReadAccepted(), drafts.Length);
            var ids = runner.ReadNextIds(accepted + 1);
            drafts[..accepted].CopyTo(produced);
            produced[accepted] = (int)ids[accepted];
            Cache.Commit(runner.KvNew, accepted + 1, position);
            return accepted + 1;
        }
    }

    /// <summary>Drops entries from <paramref name="length"/> on (rejected drafts; reusing a shared prefix).</summary>
    public void Truncate(int length) => Cache.Truncate(length);

    private int Extend(ReadOnlySpan<int> tokens, GraphVariant variant, Span<float> logits)
    {
        if (tokens.IsEmpty)
            throw new ArgumentException("nothing to process", nameof(tokens));
        if (Length + tokens.Length > Model.ContextLimit)
            throw new ContextOverflowException(Model.Name, Length + tokens.Length, Model.ContextLimit);
        var chunk = Model.Manifest.PrefillChunk;
        var next = -1;
        lock (Model.Gate)
        {
            while (!tokens.IsEmpty)
            {
                var position = Length;
                // Short runs (a few catch-up tokens) and the end of the context go through single-token decode graphs:
                // a whole prefill chunk for two tokens would cost more than two decode steps.
                var runner = tokens.Length >= Math.Max(2, chunk / 8) ? Model.Find(GraphKind.Prefill, variant, position + chunk) : null;
                runner ??= Model.Find(GraphKind.Decode, variant, position + 1)
                    ?? throw new InvalidOperationException($"{Model.Name} has no {variant} decode graph loaded");
                var take = Math.Min(runner.Tokens, tokens.Length);
                runner.Run(tokens[..take], position, Cache, Model.PadId);
                Count();
                Cache.Commit(runner.KvNew, take, position);
                tokens = tokens[take..];
                if (!tokens.IsEmpty)
                    continue;
                if (variant == GraphVariant.Greedy)
                    next = (int)runner.ReadNextIds(take)[take - 1];
                else
                    runner.ReadLogits(take - 1, logits);
            }
        }
        return next;
    }

    private void Count()
    {
        ForwardPasses++;
        Model.CountForwardPass();
    }

    public void Dispose()
    {
        var cache = Interlocked.Exchange(ref _cache, null);
        if (cache is not null)
            Model.Caches.Return(cache);
    }
}
