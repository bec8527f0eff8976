using System.Diagnostics;
using System.Threading.Channels;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// One request inside a <see cref="StepScheduler"/>: its prompt, options and generated tokens, its sampler, and the
/// channel its caller reads. Only the scheduler's worker touches it after admission. The same rules as
/// <see cref="GenerationSession"/>: an end-of-sequence id ends generation and is not returned; max new tokens or the
/// context limit end it with <see cref="FinishReason.Length"/>.
/// </summary>
internal sealed class ScheduledRequest
{
    private readonly int[] _eos;
    private readonly int _contextLimit;
    private readonly long _weightBytes;
    private double _prefillMs, _decodeMs, _weightBytesStreamed;
    private int _forwardPasses, _draftProposed, _draftAccepted;
    private readonly LogitProcessor? _processor;

    public ScheduledRequest(LanguageModel model, int[] prompt, GenerationOptions options, Sequence? prefix, LanguageModel? drafter, CancellationToken cancellation)
    {
        Prompt = prompt;
        Options = options;
        Sequence = prefix;
        Drafter = drafter;
        Cancellation = cancellation;
        _eos = model.EndOfSequenceIds.ToArray();
        _contextLimit = model.ContextLimit;
        _weightBytes = model.WeightBytes;
        Tokens = new int[model.ContextLimit + 1];
        prompt.CopyTo(Tokens, 0);
        Count = prompt.Length;
        if (!options.IsGreedy)
            Sampler = new Sampler(model.VocabSize, options.Temperature, options.TopP, options.Seed);
        _processor = LogitProcessor.For(options, model.VocabSize);
    }

    public int[] Prompt { get; }

    public GenerationOptions Options { get; }

    public LanguageModel? Drafter { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Null for greedy requests; a sampled row needs its logits every step.</summary>
    public Sampler? Sampler { get; }

    /// <summary>Whether a step needs the row's logits: sampling, or log probabilities (both decode plain).</summary>
    public bool NeedsLogits => Options.NeedsLogits;

    /// <summary>
    /// The next token from a logits row after the request's penalties and bias (sampled, or the arg-max) and, when the
    /// request asks, its log probability. Adjusts the row in place.
    /// </summary>
    public int Choose(Span<float> logits, out TokenLogprob? logprob)
    {
        _processor?.Apply(logits);
        var token = Sampler?.Sample(logits) ?? Sampler.ArgMax(logits);
        logprob = Options.Logprobs is { } top ? TokenLogprob.Read(logits, token, top) : null;
        return token;
    }

    /// <summary>The first token's log probability, from the prefill's logits (when asked), until the row accepts it.</summary>
    public TokenLogprob? FirstLogprob { get; set; }

    /// <summary>Whether the request runs as a batch row (plain or PLD); draft speculation runs as a session of its own.</summary>
    public bool IsRow => Options.Strategy is not DraftSpeculativeDecoding;

    public bool UsesPromptLookup => Options.Strategy is PromptLookupDecoding && Sampler is null;

    /// <summary>The sequence while prefilling (then its entries move into a batch row).</summary>
    public Sequence? Sequence { get; set; }

    /// <summary>The session of a request that does not run as a row.</summary>
    public GenerationSession? Session { get; set; }

    /// <summary>(context + 1) the prompt then the generated tokens; the last one is pending (not yet in the cache).</summary>
    public int[] Tokens { get; }

    public int Count { get; private set; }

    public int Pending => Tokens[Count - 1];

    /// <summary>Prompt tokens in the row's cache; the rest are fed through the steps, one per step.</summary>
    public int Fed { get; set; }

    public bool Feeding => Fed < Prompt.Length;

    /// <summary>The row's token for the next step: its next prompt token while feeding, else its pending token.</summary>
    public int Input => Feeding ? Prompt[Fed] : Pending;

    public int Generated => Count - Prompt.Length;

    /// <summary>Drafts PLD may still propose without running past max new tokens.</summary>
    public int DraftRoom => Options.MaxNewTokens - Generated - 1;

    public Channel<Emission> Output { get; } = Channel.CreateUnbounded<Emission>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });

    /// <summary>When the request was handed in; the wait for a row ends at its first prefill chunk.</summary>
    public long ArrivedAt { get; } = Stopwatch.GetTimestamp();

    public bool Started { get; set; }

    public void AddPrefill(double ms, int forwardPasses)
    {
        _prefillMs += ms;
        _forwardPasses += forwardPasses;
        _weightBytesStreamed += (double)_weightBytes * forwardPasses;
    }

    /// <summary>A batched step fed one of the prompt's tokens (prefill time).</summary>
    public void AddFed(double ms, int rows)
    {
        Fed++;
        _prefillMs += ms;
        _forwardPasses++;
        _weightBytesStreamed += (double)_weightBytes / rows;
    }

    /// <summary>A batched step of <paramref name="rows"/> rows: the weights it streamed are shared by its rows.</summary>
    public void AddStep(double ms, int rows)
    {
        _decodeMs += ms;
        _forwardPasses++;
        _weightBytesStreamed += (double)_weightBytes / rows;
    }

    public void AddDrafts(int proposed, int accepted)
    {
        _draftProposed += proposed;
        _draftAccepted += accepted;
    }

    /// <summary>
    /// Appends what a step produced and hands the new tokens to the caller; true when the request is complete.
    /// <paramref name="logprob"/>: the produced token's, when the request asks for log probabilities (a one-token step).
    /// </summary>
    public bool Accept(ReadOnlySpan<int> produced, TokenLogprob? logprob = null)
    {
        var start = Count;
        FinishReason? finish = null;
        foreach (var token in produced)
        {
            if (Array.IndexOf(_eos, token) >= 0)
            {
                finish = FinishReason.EndOfSequence;
                break;
            }
            Tokens[Count++] = token;
            _processor?.Observe(token);
            if (Generated >= Options.MaxNewTokens || Count >= _contextLimit)
            {
                finish = FinishReason.Length;
                break;
            }
        }
        var logprobs = logprob is null ? null : Count > start ? new[] { logprob } : [];
        Output.Writer.TryWrite(new Emission(Tokens[start..Count], finish, finish is null ? null : Metrics(), logprobs));
        if (finish is not null)
            Output.Writer.TryComplete();
        return finish is not null;
    }

    /// <summary>Hands a session's new tokens to the caller; false (not complete).</summary>
    public bool Emit(int[] tokens)
    {
        Output.Writer.TryWrite(new Emission(tokens, null, null));
        return false;
    }

    /// <summary>Hands a session's last tokens, its finish reason and metrics to the caller and completes the stream.</summary>
    public void Finish(int[] tokens, FinishReason finish, GenerationMetrics metrics)
    {
        Output.Writer.TryWrite(new Emission(tokens, finish, metrics));
        Output.Writer.TryComplete();
        Session?.Dispose();
        Session = null;
    }

    /// <summary>Ends the request with <paramref name="error"/> (null: cancelled, nothing more to say).</summary>
    public void Fail(Exception? error)
    {
        Sequence?.Dispose();
        Sequence = null;
        Session?.Dispose();
        Session = null;
        Output.Writer.TryComplete(error);
    }

    public GenerationMetrics Metrics() => new()
    {
        PromptTokens = Prompt.Length,
        GeneratedTokens = Generated,
        PrefillMs = _prefillMs,
        DecodeMs = _decodeMs,
        ForwardPasses = _forwardPasses,
        DraftTokensProposed = _draftProposed,
        DraftTokensAccepted = _draftAccepted,
        WeightBytesStreamed = (long)_weightBytesStreamed,
    };
}

/// <summary>Tokens a step produced for one request; the last emission carries the finish reason and metrics.</summary>
internal readonly record struct Emission(int[] Tokens, FinishReason? Finish, GenerationMetrics? Metrics, TokenLogprob[]? Logprobs = null);
