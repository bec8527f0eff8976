namespace AscendAio.Router.Adaptive;

/// <summary>When online tracking turns PLD off (and back on) for a category.</summary>
public sealed record AdaptivePldOptions
{
    /// <summary>Accepted / proposed drafts below which PLD stops paying (a verify call costs more than a decode).</summary>
    public double MinAcceptance { get; init; } = 0.3;

    /// <summary>PLD requests of a category observed before its acceptance is trusted.</summary>
    public int Warmup { get; init; } = 8;

    /// <summary>Weight of the newest request in the running acceptance (exponential moving average).</summary>
    public double Smoothing { get; init; } = 0.2;

    /// <summary>While PLD is off for a category, every Nth of its requests runs PLD anyway to re-measure.</summary>
    public int RetryEvery { get; init; } = 16;

    public void Validate()
    {
        if (!(MinAcceptance >= 0 && MinAcceptance <= 1))
            throw new RoutingException($"adaptive_pld.min_acceptance: must be in [0, 1], got {MinAcceptance}");
        if (Warmup < 1)
            throw new RoutingException($"adaptive_pld.warmup: must be at least 1, got {Warmup}");
        if (!(Smoothing > 0 && Smoothing <= 1))
            throw new RoutingException($"adaptive_pld.smoothing: must be in (0, 1], got {Smoothing}");
        if (RetryEvery < 1)
            throw new RoutingException($"adaptive_pld.retry_every: must be at least 1, got {RetryEvery}");
    }
}
