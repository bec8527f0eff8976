namespace AscendAio.Router.Adaptive;

/// <summary>A category's PLD record: requests observed, running acceptance, and whether PLD is on.</summary>
public sealed record PldCategoryStats(string Category, int Observations, double Acceptance, bool Enabled, int SkippedSinceRetry);

/// <summary>
/// Online PLD acceptance per category (beyond the paper). Each PLD request that proposed drafts updates an
/// exponential moving average of accepted / proposed; after the warm-up, a category whose average falls below
/// the floor gets plain decoding, except every Nth request, which runs PLD to re-measure (so a category whose
/// requests change can win PLD back). Thread-safe.
/// </summary>
public sealed class PldAcceptanceTracker
{
    private readonly AdaptivePldOptions _options;
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PldAcceptanceTracker(AdaptivePldOptions options)
    {
        options.Validate();
        _options = options;
    }

    public AdaptivePldOptions Options => _options;

    /// <summary>Whether the next PLD-routed request of <paramref name="category"/> should run PLD (counts it as a request).</summary>
    public bool ShouldUsePld(string category, out PldCategoryStats stats)
    {
        lock (_gate)
        {
            var s = StateOf(category);
            var use = s.Enabled;
            if (!use && ++s.SkippedSinceRetry >= _options.RetryEvery)
            {
                s.SkippedSinceRetry = 0;
                use = true; // the re-measuring request
            }
            stats = Snapshot(category, s);
            return use;
        }
    }

    /// <summary>Records a PLD request's drafts; requests that proposed nothing say nothing about acceptance.</summary>
    public void Record(string category, int proposed, int accepted)
    {
        if (proposed <= 0)
            return;
        var rate = Math.Clamp((double)accepted / proposed, 0, 1);
        lock (_gate)
        {
            var s = StateOf(category);
            s.Acceptance = s.Observations == 0 ? rate : s.Acceptance + _options.Smoothing * (rate - s.Acceptance);
            s.Observations++;
            if (s.Observations >= _options.Warmup)
                s.Enabled = s.Acceptance >= _options.MinAcceptance;
        }
    }

    public IReadOnlyList<PldCategoryStats> Snapshot()
    {
        lock (_gate)
            return _states.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Snapshot(p.Key, p.Value)).ToArray();
    }

    private State StateOf(string category)
    {
        if (!_states.TryGetValue(category, out var s))
            _states[category] = s = new State();
        return s;
    }

    private static PldCategoryStats Snapshot(string category, State s) => new(category, s.Observations, s.Acceptance, s.Enabled, s.SkippedSinceRetry);

    private sealed class State
    {
        public int Observations;
        public double Acceptance;
        public bool Enabled = true;
        public int SkippedSinceRetry;
    }
}
