namespace AscendAio.Router.Adaptive;

/// <summary>How online tracking decides whether PLD pays for a category on a model.</summary>
public sealed record AdaptivePldOptions
{
    /// <summary>Requests measured on each arm (PLD, plain) before the faster one is trusted; until then they alternate.</summary>
    public int Warmup { get; init; } = 4;

    /// <summary>After the warm-up, every Nth request runs the other arm, so a change in the requests is noticed.</summary>
    public int ExploreEvery { get; init; } = 10;

    /// <summary>Weight of the newest request in the running averages (exponential moving average).</summary>
    public double Smoothing { get; init; } = 0.2;

    public void Validate()
    {
        if (Warmup < 1)
            throw new RoutingException($"adaptive_pld.warmup: must be at least 1, got {Warmup}");
        if (ExploreEvery < 2)
            throw new RoutingException($"adaptive_pld.explore_every: must be at least 2, got {ExploreEvery}");
        if (!(Smoothing > 0 && Smoothing <= 1))
            throw new RoutingException($"adaptive_pld.smoothing: must be in (0, 1], got {Smoothing}");
    }
}
