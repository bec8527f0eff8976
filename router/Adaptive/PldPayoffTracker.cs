namespace AscendAio.Router.Adaptive;

/// <summary>
/// What tracking knows about PLD for one category on one model at one context size (prompts of at most
/// <see cref="ContextBucket"/> tokens): decode milliseconds per generated token with PLD and without, the
/// draft acceptance, and whether PLD is currently the faster arm.
/// </summary>
public sealed record PldArmStats(string Category, ModelRole Model, int ContextBucket, int PldRuns, double PldMsPerToken, int PlainRuns,
    double PlainMsPerToken, double Acceptance, bool PldEnabled);

/// <summary>
/// Online PLD payoff per (category, model, context size) (beyond the paper). Whether PLD pays depends on how many
/// drafts are accepted and on what a verify call costs next to a decode step, which differs per model, device and
/// context length, so the tracker measures the payoff itself (context sizes are bucketed by powers of 4 from 128,
/// as decode cost follows the KV gear, so long and short requests are never compared): the requests a policy sends with PLD alternate between PLD and plain
/// decoding until each arm has <see cref="AdaptivePldOptions.Warmup"/> runs, then take the arm with fewer decode
/// milliseconds per token, running the other arm every <see cref="AdaptivePldOptions.ExploreEvery"/>th request.
/// Greedy PLD and plain decoding produce the same tokens, so exploring costs time, never quality. Thread-safe.
/// </summary>
public sealed class PldPayoffTracker
{
    private readonly AdaptivePldOptions _options;
    private readonly Dictionary<(string, ModelRole, int), State> _states = [];
    private readonly Lock _gate = new();

    public PldPayoffTracker(AdaptivePldOptions options)
    {
        options.Validate();
        _options = options;
    }

    public AdaptivePldOptions Options => _options;

    /// <summary>Picks the arm for the next request of <paramref name="category"/> on <paramref name="model"/> that the policy wants with PLD.</summary>
    public bool ShouldUsePld(string category, ModelRole model, int contextTokens, out PldArmStats stats)
    {
        var key = (category, model, ContextBucket(contextTokens));
        lock (_gate)
        {
            var s = StateOf(key);
            s.Requests++;
            bool use;
            if (s.Pld.Runs < _options.Warmup || s.Plain.Runs < _options.Warmup)
                use = s.Pld.Runs <= s.Plain.Runs; // warm-up: PLD first, then alternate
            else
                use = s.Requests % _options.ExploreEvery == 0 ? !PldFaster(s) : PldFaster(s);
            stats = Snapshot(key, s);
            return use;
        }
    }

    /// <summary>Records a finished request of an arm the tracker picked. Requests of fewer than two tokens have no decode rate.</summary>
    public void Record(string category, ModelRole model, int contextTokens, bool usedPld, int generatedTokens, double decodeMs, int proposed, int accepted)
    {
        if (generatedTokens < 2 || decodeMs <= 0)
            return;
        var msPerToken = decodeMs / (generatedTokens - 1); // the first token comes from the prefill
        lock (_gate)
        {
            var s = StateOf((category, model, ContextBucket(contextTokens)));
            (usedPld ? s.Pld : s.Plain).Add(msPerToken, _options.Smoothing);
            if (usedPld && proposed > 0)
                s.Acceptance.Add((double)accepted / proposed, _options.Smoothing);
        }
    }

    public IReadOnlyList<PldArmStats> Snapshot()
    {
        lock (_gate)
            return _states.OrderBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2).ThenBy(p => p.Key.Item3)
                .Select(p => Snapshot(p.Key, p.Value)).ToArray();
    }

    private bool PldFaster(State s) => s.Pld.Runs >= _options.Warmup && s.Plain.Runs >= _options.Warmup ? s.Pld.Value <= s.Plain.Value : true;

    /// <summary>The smallest of 128, 512, 2048, ... that holds <paramref name="contextTokens"/>.</summary>
    public static int ContextBucket(int contextTokens)
    {
        var bucket = 128;
        while (bucket < contextTokens && bucket < int.MaxValue / 4)
            bucket *= 4;
        return bucket;
    }

    private State StateOf((string, ModelRole, int) key)
    {
        if (!_states.TryGetValue(key, out var s))
            _states[key] = s = new State();
        return s;
    }

    private PldArmStats Snapshot((string Category, ModelRole Model, int Bucket) key, State s) =>
        new(key.Category, key.Model, key.Bucket, s.Pld.Runs, s.Pld.Value, s.Plain.Runs, s.Plain.Value, s.Acceptance.Value, PldFaster(s));

    private sealed class State
    {
        public readonly Average Pld = new(), Plain = new(), Acceptance = new();
        public int Requests;
    }

    private sealed class Average
    {
        public int Runs;
        public double Value;

        public void Add(double x, double weight)
        {
            Value = Runs == 0 ? x : Value + weight * (x - Value);
            Runs++;
        }
    }
}
