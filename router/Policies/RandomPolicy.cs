using AscendAio.Engine.Generation;

namespace AscendAio.Router.Policies;

/// <summary>
/// The random baseline: the small model with probability <see cref="PolicyOptions.RandomSmallShare"/>, else the
/// large one; plain decoding on both, no probe. The paper's "random" dispatches 50/50; `aio bench` runs it so, and runs
/// "random-matched" (the same policy) at A-IO's measured small share. Draws come from the
/// input's seeded source when given, else from the policy's own, seeded with <see cref="PolicyOptions.Seed"/>:
/// the same seed and request order give the same routes.
/// </summary>
public sealed class RandomPolicy : IRoutingPolicy
{
    private readonly Random _own;
    private readonly Lock _gate = new();

    public RandomPolicy(string name, PolicyOptions options)
    {
        options.Validate();
        Name = name;
        SmallShare = options.RandomSmallShare;
        _own = new Random(options.Seed);
    }

    public string Name { get; }

    public bool NeedsProbe => false;

    public double SmallShare { get; }

    public RouteDecision Decide(RoutingInput input)
    {
        double draw;
        if (input.Random is { } random)
        {
            draw = random.NextDouble();
        }
        else
        {
            lock (_gate)
                draw = _own.NextDouble();
        }
        var model = draw < SmallShare ? ModelRole.Small : ModelRole.Large;
        return RouteDecision.For(input, model, DecodingStrategy.Plain, null, $"random draw {draw:F3} vs small share {SmallShare:F3}");
    }
}
