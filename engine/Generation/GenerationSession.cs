using System.Diagnostics;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// The decode loop of one request, one step at a time (llama2.c's generate, split so callers can stream and
/// cancel between steps). Invariant after <see cref="Start"/>: the target cache holds every token but the
/// last, which is pending. A step runs the strategy once and appends 1..K+1 tokens. Steady-state steps
/// allocate nothing: all buffers are sized at start (log probabilities, when a request asks, are its output and allocate).
/// </summary>
public sealed class GenerationSession : IDisposable
{
    private readonly LanguageModel _model;
    private readonly LanguageModel? _drafter;
    private readonly GenerationOptions _options;
    private readonly Sequence _sequence;
    private Sequence? _draftSequence;
    private readonly Sampler? _sampler;
    private readonly int[] _tokens;    // (context) prompt then generated tokens
    private readonly int[] _produced;  // (K+1) tokens of the current step
    private readonly int[] _drafts;    // (K) draft tokens
    private readonly float[]? _logits; // (vocab) when sampling or reporting log probabilities
    private readonly LogitProcessor? _processor;   // penalties and logit bias, when the options set them
    private TokenLogprob? _logprob;    // the produced token's, when the options ask for log probabilities
    private TokenLogprob[] _newLogprobs = [];
    private readonly int _promptLength;
    private readonly int[] _eos;       // ids that end generation
    private int _count;
    private int _newCount;
    private bool _firstPending;
    private double _prefillMs, _decodeMs;
    private int _draftProposed, _draftAccepted;

    private GenerationSession(LanguageModel model, LanguageModel? drafter, ReadOnlySpan<int> prompt, GenerationOptions options, Sequence sequence)
    {
        _model = model;
        _drafter = drafter;
        _options = options;
        _sequence = sequence;
        _tokens = new int[model.ContextLimit + 1];
        prompt.CopyTo(_tokens);
        _promptLength = _count = prompt.Length;
        var k = model.Manifest.VerifyK;
        _produced = new int[k + 1];
        _drafts = new int[k];
        _eos = model.EndOfSequenceIds.ToArray();
        if (!options.IsGreedy)
            _sampler = new Sampler(model.VocabSize, options.Temperature, options.TopP, options.Seed);
        if (options.NeedsLogits)
            _logits = new float[model.VocabSize];
        _processor = LogitProcessor.For(options, model.VocabSize);
    }

    public LanguageModel Model => _model;

    public FinishReason? Finish { get; private set; }

    /// <summary>Tokens produced by the last <see cref="Step"/>.</summary>
    public ReadOnlySpan<int> NewTokens => _produced.AsSpan(0, _newCount);

    /// <summary>The log probabilities of <see cref="NewTokens"/> when the options ask for them (else empty).</summary>
    public IReadOnlyList<TokenLogprob> NewLogprobs => _newLogprobs;

    /// <summary>All generated tokens so far.</summary>
    public ReadOnlySpan<int> Generated => _tokens.AsSpan(_promptLength, _count - _promptLength);

    public int PromptLength => _promptLength;

    /// <summary>
    /// Checks the request, then prefills the prompt. With <paramref name="reuse"/> (a sequence whose cache already holds
    /// a prefix of <paramref name="prompt"/>, e.g. the probe's), only the rest is prefilled; the session owns it from the call on.
    /// </summary>
    public static GenerationSession Start(LanguageModel model, ReadOnlySpan<int> prompt, GenerationOptions options,
        LanguageModel? drafter = null, Sequence? reuse = null)
    {
        try
        {
            Check(model, prompt, options, drafter, reuse);
        }
        catch
        {
            reuse?.Dispose();   // owned from the call on, refused or not
            throw;
        }

        var sequence = reuse ?? model.CreateSequence();
        var session = new GenerationSession(model, drafter, prompt, options, sequence);
        try
        {
            session.Prefill(prompt[sequence.Length..]);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A generation request's checks, before any device work (also the step scheduler's admission).</summary>
    internal static void Check(LanguageModel model, ReadOnlySpan<int> prompt, GenerationOptions options, LanguageModel? drafter, Sequence? prefix)
    {
        options.Validate();
        if (prompt.IsEmpty)
            throw new ArgumentException("the prompt is empty", nameof(prompt));
        // The prompt and at least one generated token must fit.
        if (prompt.Length + 1 > model.ContextLimit)
            throw new ContextOverflowException(model.Name, prompt.Length + 1, model.ContextLimit);
        if (options.Strategy is DraftSpeculativeDecoding && drafter is null)
            throw new ArgumentException("draft speculation needs a draft model", nameof(drafter));
        foreach (var token in options.LogitBias.Keys)
        {
            if (token >= model.VocabSize)
                throw new ArgumentException($"logit_bias names token {token}, outside {model.Name}'s vocabulary (size {model.VocabSize})", nameof(options));
        }
        if (prefix is not null && (prefix.Model != model || prefix.Length >= prompt.Length))
            throw new ArgumentException("the reused sequence must belong to the model and hold a strict prefix of the prompt", nameof(prefix));
    }

    private void Prefill(ReadOnlySpan<int> rest)
    {
        var start = Stopwatch.GetTimestamp();
        int first;
        if (_logits is null)
        {
            first = _sequence.Prefill(rest);
        }
        else
        {
            _sequence.PrefillLogits(rest, _logits);
            first = Choose();
        }
        _prefillMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _produced[0] = first;
        _firstPending = true;
    }

    /// <summary>Produces the next token(s) into <see cref="NewTokens"/>; false once generation has finished.</summary>
    public bool Step()
    {
        if (Finish is not null)
        {
            _newCount = 0;
            return false;
        }
        var start = Stopwatch.GetTimestamp();
        int produced;
        if (_firstPending)
        {
            produced = 1; // the prefill's token
            _firstPending = false;
        }
        else
        {
            produced = RunStrategy();
        }
        Accept(produced);
        _decodeMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return _newCount > 0 || Finish is null;
    }

    /// <summary>Ends the session as cancelled and releases its caches at once.</summary>
    public void Cancel()
    {
        Finish ??= FinishReason.Cancelled;
        Dispose();
    }

    public GenerationMetrics Metrics => new()
    {
        PromptTokens = _promptLength,
        GeneratedTokens = _count - _promptLength,
        PrefillMs = _prefillMs,
        DecodeMs = _decodeMs,
        ForwardPasses = _sequence.ForwardPasses,
        DraftForwardPasses = _draftSequence?.ForwardPasses ?? 0,
        DraftTokensProposed = _draftProposed,
        DraftTokensAccepted = _draftAccepted,
        WeightBytesStreamed = _sequence.ForwardPasses * _model.WeightBytes + (_draftSequence?.ForwardPasses ?? 0) * (_drafter?.WeightBytes ?? 0),
    };

    private int RunStrategy()
    {
        var pending = _tokens[_count - 1];
        if (_logits is not null)
        {
            _sequence.DecodeLogits(pending, _logits);
            _produced[0] = Choose();
            return 1;
        }
        return _options.Strategy switch
        {
            PromptLookupDecoding pld => PromptLookupStep(pending, pld),
            DraftSpeculativeDecoding draft => DraftStep(pending, draft),
            _ => PlainStep(pending),
        };
    }

    /// <summary>
    /// The next token from <see cref="_logits"/> after the request's penalties and bias (sampled, or the arg-max) and,
    /// when asked, its log probability in that adjusted distribution.
    /// </summary>
    private int Choose()
    {
        var logits = _logits!;
        _processor?.Apply(logits);
        var token = _sampler?.Sample(logits) ?? Sampler.ArgMax(logits);
        if (_options.Logprobs is { } top)
            _logprob = TokenLogprob.Read(logits, token, top);
        return token;
    }

    private int PlainStep(int pending)
    {
        _produced[0] = _sequence.Decode(pending);
        return 1;
    }

    private int PromptLookupStep(int pending, PromptLookupDecoding pld)
    {
        var room = Math.Min(Math.Min(pld.LookAhead, _drafts.Length), RemainingBudget());
        var count = room > 0 ? PromptLookup.Propose(_tokens.AsSpan(0, _count), pld.MaxNgram, _drafts.AsSpan(0, room)) : 0;
        if (count == 0 || !_sequence.CanVerify(count))
            return PlainStep(pending);
        var produced = _sequence.Verify(pending, _drafts.AsSpan(0, count), _produced);
        _draftProposed += count;
        _draftAccepted += produced - 1;
        return produced;
    }

    private int DraftStep(int pending, DraftSpeculativeDecoding draft)
    {
        var k = Math.Min(Math.Min(draft.DraftTokens, _drafts.Length), RemainingBudget());
        // The drafter must hold every token plus k - 1 drafts; near the end of its context, fall back to plain.
        if (k < 1 || _count + k > _drafter!.ContextLimit || !_sequence.CanVerify(k))
            return PlainStep(pending);
        _draftSequence ??= _drafter.CreateSequence();
        // Catch the drafter up on the tokens it has not seen (the pending token at least), then draft.
        _drafts[0] = _draftSequence.Prefill(_tokens.AsSpan(_draftSequence.Length, _count - _draftSequence.Length));
        for (var i = 1; i < k; i++)
            _drafts[i] = _draftSequence.Decode(_drafts[i - 1]);
        var produced = _sequence.Verify(pending, _drafts.AsSpan(0, k), _produced);
        var accepted = produced - 1;
        _draftProposed += k;
        _draftAccepted += accepted;
        // The drafter's entries for rejected drafts are stale; keep the tokens plus the accepted drafts it processed.
        _draftSequence.Truncate(_count + Math.Min(accepted, k - 1));
        return produced;
    }

    private int RemainingBudget() => _options.MaxNewTokens - (_count - _promptLength) - 1;

    private void Accept(int produced)
    {
        _newCount = 0;
        _newLogprobs = [];
        for (var i = 0; i < produced; i++)
        {
            var token = _produced[i];
            if (Array.IndexOf(_eos, token) >= 0)
            {
                Finish = FinishReason.EndOfSequence;
                return;
            }
            _tokens[_count++] = token;
            _produced[_newCount++] = token;
            _processor?.Observe(token);
            if (_logprob is not null)
                _newLogprobs = [_logprob];   // log probabilities run plain decoding: one token per step
            if (_count - _promptLength >= _options.MaxNewTokens || _count >= _model.ContextLimit)
            {
                Finish = FinishReason.Length;
                return;
            }
        }
    }

    public void Dispose()
    {
        _sequence.Dispose();
        _draftSequence?.Dispose();
    }
}
