using AscendAio.Engine.Generation;

namespace AscendAio.Router.Policies;

/// <summary>A baseline that sends every request to one model with one strategy; no probe.</summary>
public sealed class StaticPolicy(string name, ModelRole model, DecodingStrategy strategy) : IRoutingPolicy
{
    public string Name { get; } = name;

    public bool NeedsProbe => false;

    public ModelRole Model { get; } = model;

    public DecodingStrategy Strategy { get; } = strategy;

    public RouteDecision Decide(RoutingInput input) =>
        RouteDecision.For(input, Model, Strategy, null, $"static ({Name})");
}
