using System.Globalization;
using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Calibration;

/// <summary>
/// Where a policy chooses a decoding strategy: a category on its own model, or (<see cref="OnFallback"/>) the same
/// category's requests that land on the fallback model (over-long, or H &gt; τ).
/// </summary>
public readonly record struct StrategySlot(string Category, ModelRole Model, bool OnFallback)
{
    public override string ToString() => OnFallback ? $"{Category} on {Model.RoleName()} (fallback)" : $"{Category} on {Model.RoleName()}";
}

/// <summary>
/// A strategy's measured speed against plain decoding on one slot: the median over paired repetitions of the tokens/s
/// ratio (strategy ÷ plain) with its interval at <see cref="Confidence"/>; computed by the benchmarking library.
/// </summary>
public sealed record SpeedGain(double Ratio, double Low, double High, double Confidence, int Repetitions, int Requests)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"×{Ratio:F2} [{Low:F2}, {High:F2}] ({Confidence:P1} interval, {Repetitions} repetitions of {Requests} requests)");
}

/// <summary>The switch's verdict on one slot, with the gain it rests on (null: nothing measured there) and why.</summary>
public sealed record StrategyVerdict(StrategySlot Slot, SpeedGain? Gain, bool On, string Reason)
{
    /// <summary>On for code: against the paper's rule, which the report must state.</summary>
    public bool OverridesPaper => On && Slot.Category == StrategySwitch.CodeCategory;
}

/// <summary>
/// Which strategy each slot of a policy uses, from measurement: PLD is switched on only where its gain is significant,
/// i.e. the whole interval of the tokens/s ratio PLD ÷ plain lies above 1; a gain whose interval holds 1 (or lies below
/// it) leaves plain decoding. The paper keeps PLD off for code; code follows the same rule, so PLD runs there only on a
/// significant gain, and <see cref="StrategyVerdict.OverridesPaper"/> marks that for the report.
/// </summary>
public static class StrategySwitch
{
    public const string CodeCategory = "code";

    /// <summary>Every slot of the policy: each category on its model, and on the fallback model when that is another.</summary>
    public static IReadOnlyList<StrategySlot> Slots(PolicyOptions policy)
    {
        var slots = new List<StrategySlot>();
        foreach (var (name, rule) in policy.Categories.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            slots.Add(new StrategySlot(name, rule.Model, OnFallback: false));
            if (rule.Model != policy.FallbackModel)
                slots.Add(new StrategySlot(name, policy.FallbackModel, OnFallback: true));
        }
        return slots;
    }

    public static StrategyVerdict Decide(StrategySlot slot, SpeedGain? gain)
    {
        var code = slot.Category == CodeCategory;
        if (gain is null)
            return new StrategyVerdict(slot, null, false, "not measured (no request of the category ran there, or no repetitions): plain");
        if (gain.Low > 1)
        {
            return new StrategyVerdict(slot, gain, true, code
                ? $"PLD {gain} lies above 1: a significant gain, so PLD is on for code against the paper's rule"
                : $"PLD {gain} lies above 1: a significant gain");
        }
        var why = gain.High < 1 ? "lies below 1: PLD is slower" : "holds 1: no significant gain";
        return new StrategyVerdict(slot, gain, false, $"PLD {gain} {why}" + (code ? "; off for code, as the paper rules" : "") + ": plain");
    }

    /// <summary>The policy with each slot's strategy set from its verdict: <paramref name="pld"/> where on, plain where off.</summary>
    public static PolicyOptions Apply(PolicyOptions policy, IEnumerable<StrategyVerdict> verdicts, DecodingStrategy pld)
    {
        var categories = policy.Categories.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var v in verdicts)
        {
            var rule = categories[v.Slot.Category];
            var strategy = v.On ? pld : DecodingStrategy.Plain;
            categories[v.Slot.Category] = v.Slot.OnFallback ? rule with { FallbackStrategy = strategy } : rule with { Strategy = strategy };
        }
        return policy with { Categories = categories };
    }
}
