using AscendAio.Engine.Generation;

namespace AscendAio.Router.Policies;

/// <summary>The policy registry: name → factory over <see cref="PolicyOptions"/>. Creating a policy does no work beyond validation.</summary>
public static class RoutingPolicies
{
    public const string Aio = "aio";
    public const string Oracle = "oracle";
    public const string Random = "random";

    /// <summary>The random policy under the name a benchmark gives it when its share is set to A-IO's measured one.</summary>
    public const string RandomMatched = "random-matched";

    /// <summary>aio without the probe where the request's length alone decides the model (<see cref="RuleSwitches.ProbeWhenContextDecides"/>).</summary>
    public const string AioNoLongProbe = "aio-no-long-probe";

    private static readonly Dictionary<string, Func<string, PolicyOptions, IRoutingPolicy>> Factories = new(StringComparer.Ordinal)
    {
        ["static-small"] = (n, _) => new StaticPolicy(n, ModelRole.Small, DecodingStrategy.Plain),
        ["static-large"] = (n, _) => new StaticPolicy(n, ModelRole.Large, DecodingStrategy.Plain),
        ["small-pld"] = (n, o) => new StaticPolicy(n, ModelRole.Small, o.Pld),
        ["large-pld"] = (n, o) => new StaticPolicy(n, ModelRole.Large, o.Pld),
        ["small-quant"] = (n, _) => new StaticPolicy(n, ModelRole.SmallQuant, DecodingStrategy.Plain),
        ["large-quant"] = (n, _) => new StaticPolicy(n, ModelRole.LargeQuant, DecodingStrategy.Plain),
        ["draft-spec"] = (n, o) => new StaticPolicy(n, ModelRole.Large, new DraftSpeculativeDecoding(o.DraftTokens)),
        [Random] = (n, o) => new RandomPolicy(n, o),
        [RandomMatched] = (n, o) => new RandomPolicy(n, o),
        [Oracle] = (n, o) => new RulePolicy(n, o, new RuleSwitches { TrueCategory = true }),
        [Aio] = (n, o) => new RulePolicy(n, o),
        ["aio-no-model-routing"] = (n, o) => new RulePolicy(n, o, new RuleSwitches { ModelRouting = false }),
        ["aio-no-pld-switch"] = (n, o) => new RulePolicy(n, o, new RuleSwitches { StrategySwitch = false }),
        ["aio-no-entropy"] = (n, o) => new RulePolicy(n, o, new RuleSwitches { EntropyGate = false }),
        [AioNoLongProbe] = (n, o) => new RulePolicy(n, o, new RuleSwitches { ProbeWhenContextDecides = false }),
    };

    /// <summary>Every registered name, in registration order for the built-ins.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Factories)
                return Factories.Keys.ToArray();
        }
    }

    /// <exception cref="RoutingException">Unknown name, or invalid options (naming the field).</exception>
    public static IRoutingPolicy Create(string name, PolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Func<string, PolicyOptions, IRoutingPolicy>? factory;
        lock (Factories)
            Factories.TryGetValue(name, out factory);
        if (factory is null)
            throw new RoutingException($"unknown routing policy '{name}' (known: {string.Join(", ", Names)})");
        options ??= PolicyOptions.Default;
        options.Validate();
        return factory(name, options);
    }

    /// <summary>Adds a policy under a new name (e.g. a host's experiment). Existing names cannot be replaced.</summary>
    public static void Register(string name, Func<string, PolicyOptions, IRoutingPolicy> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Factories)
        {
            if (!Factories.TryAdd(name, factory))
                throw new RoutingException($"routing policy '{name}' is already registered");
        }
    }
}
