using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace AscendAio.Router.Policies.Json;

/// <summary>
/// Prepares a parsed policy file for the contract: a strategy given as a bare kind ("pld") becomes { "kind": "pld" },
/// a strategy object must name a kind the contract knows, and the top-level "pld" section may name its implied kind.
/// </summary>
/// <remarks>The contract's polymorphism alone would report a missing or unknown kind without the kinds it accepts.</remarks>
internal static class StrategyShorthand
{
    /// <summary>The strategy kinds, as the contract's derived types declare them.</summary>
    public static IReadOnlyList<string> Kinds { get; } = KindsOf(PolicyJsonContext.Default.StrategySection);

    private static string KindList => string.Join("|", Kinds);

    public static void Normalize(JsonObject root)
    {
        if (root["fallback"] is JsonObject fallback)
            NormalizeStrategy(fallback, "strategy", "fallback");
        if (root["categories"] is JsonObject categories)
        {
            foreach (var (name, node) in categories)
            {
                if (node is not JsonObject rule)
                    continue;
                NormalizeStrategy(rule, "strategy", $"categories.{name}");
                NormalizeStrategy(rule, "fallback_strategy", $"categories.{name}");
            }
        }
        if (root["pld"] is JsonObject pld && pld.ContainsKey(StrategyKinds.Property))
        {
            var kind = KindOf(pld[StrategyKinds.Property], "pld");
            if (kind != StrategyKinds.Pld)
                throw new PolicyFieldException($"pld.{StrategyKinds.Property}", $"the pld section is a pld strategy, got '{kind}'");
            pld.Remove(StrategyKinds.Property);
        }
    }

    private static void NormalizeStrategy(JsonObject parent, string key, string at)
    {
        var field = $"{at}.{key}";
        switch (parent[key])
        {
            case JsonValue value when value.TryGetValue<string>(out var shorthand):
                parent[key] = new JsonObject { [StrategyKinds.Property] = shorthand };
                CheckKind(shorthand, field);
                break;
            case JsonObject strategy:
                if (!strategy.ContainsKey(StrategyKinds.Property))
                    throw new PolicyFieldException($"{field}.{StrategyKinds.Property}", $"missing ({KindList})");
                CheckKind(KindOf(strategy[StrategyKinds.Property], field), field);
                break;
        }
    }

    private static string KindOf(JsonNode? node, string field) =>
        node is JsonValue value && value.TryGetValue<string>(out var kind)
            ? kind
            : throw new PolicyFieldException($"{field}.{StrategyKinds.Property}", $"expected a string, got {PolicyJsonErrors.Describe(node)}");

    private static void CheckKind(string kind, string field)
    {
        if (!Kinds.Contains(kind))
            throw new PolicyFieldException($"{field}.{StrategyKinds.Property}", $"unknown strategy '{kind}' ({KindList})");
    }

    private static string[] KindsOf(JsonTypeInfo polymorphic) =>
        polymorphic.PolymorphismOptions!.DerivedTypes.Select(d => (string)d.TypeDiscriminator!).ToArray();
}
