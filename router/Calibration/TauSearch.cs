using AscendAio.Router.Policies;

namespace AscendAio.Router.Calibration;

/// <summary>The grid of a τ search.</summary>
public sealed record TauSearchOptions
{
    /// <summary>τ values to try; null = 0 to ln 3 in steps of 0.01, then +∞ (no entropy fallback).</summary>
    public IReadOnlyList<double>? Taus { get; init; }

    /// <summary>Ties on the objective and the floored metric go to the τ nearest this one.</summary>
    public double PreferredTau { get; init; } = PolicyOptions.Default.Tau;

    public ReplayOptions Replay { get; init; } = new();

    public static IReadOnlyList<double> DefaultTaus()
    {
        var taus = new List<double>();
        for (var i = 0; i * 0.01 <= Math.Log(3) + 1e-9; i++)
            taus.Add(Math.Round(i * 0.01, 2));
        taus.Add(double.PositiveInfinity);
        return taus;
    }
}

/// <summary>One grid point and how it scored.</summary>
public sealed record TauCandidate(PolicyOptions Options, ReplayScore Score, bool Feasible, double Objective)
{
    public double Tau => Options.Tau;
}

public sealed record TauSearchResult(TauCandidate Best, IReadOnlyList<TauCandidate> Candidates, CalibrationObjective Objective)
{
    /// <summary>Whether the best candidate meets the floor (otherwise it is the one closest to it).</summary>
    public bool Feasible => Best.Feasible;
}

/// <summary>
/// Grid search of τ for the aio policy over calibration samples, maximising an objective under a floor. Candidates
/// are scored by <see cref="PolicyReplay"/>. Order of preference: feasible, then the objective, then the floored
/// metric, then τ nearest the preferred value. The per-category strategies are not searched here: a replay's raw
/// maximum would pick noise; <see cref="StrategySwitch"/> sets them from measured, significant gains.
/// </summary>
public static class TauSearch
{
    public static TauSearchResult Run(IReadOnlyList<CalibrationSample> samples, PolicyOptions baseOptions, CalibrationObjective objective,
        TauSearchOptions? options = null)
    {
        options ??= new TauSearchOptions();
        var taus = options.Taus ?? TauSearchOptions.DefaultTaus();
        if (taus.Count == 0)
            throw new RoutingException("the τ grid is empty");
        var candidates = new List<TauCandidate>();
        foreach (var tau in taus)
        {
            var o = baseOptions with { Tau = tau };
            var score = PolicyReplay.Run(RoutingPolicies.Create(RoutingPolicies.Aio, o), samples, options.Replay);
            candidates.Add(new TauCandidate(o, score, objective.IsFeasible(score), objective.Value(score)));
        }
        var best = candidates
            .OrderByDescending(c => c.Feasible)
            .ThenByDescending(c => c.Feasible ? c.Objective : objective.Constrained(c.Score))
            .ThenByDescending(c => c.Feasible ? objective.Constrained(c.Score) : c.Objective)
            .ThenBy(c => Math.Abs((double.IsInfinity(c.Tau) ? 10 : c.Tau) - options.PreferredTau))
            .First();
        return new TauSearchResult(best, candidates, objective);
    }
}
