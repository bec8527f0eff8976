using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace AscendAio.Router.Policies.Json;

/// <summary>
/// Words System.Text.Json's contract errors the way a person fixes them: the field's dotted path, then "unknown field
/// (expected one of …)" or "expected an integer, got string "x"", with the expectation read from the contract itself.
/// </summary>
internal static class PolicyJsonErrors
{
    /// <summary>The field and message for a deserialization error of the (parsed) document <paramref name="root"/>.</summary>
    public static PolicyFieldException FromContract(JsonException error, JsonNode root)
    {
        var segments = PathSegments(error.Path);
        JsonTypeInfo info = PolicyJsonContext.Default.PolicyDocument;
        JsonNode? node = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var field = string.Join('.', segments.Take(i + 1));
            if (info.Kind == JsonTypeInfoKind.Dictionary)
            {
                info = PolicyJsonContext.Default.GetTypeInfo(info.ElementType!)!;
            }
            else
            {
                info = Concrete(info, node);
                var property = info.Properties.FirstOrDefault(p => p.Name == segment);
                if (property is null)
                    return UnknownField(field, info);
                info = PolicyJsonContext.Default.GetTypeInfo(property.PropertyType)!;
            }
            node = node is JsonObject o ? o[segment] : null;
        }
        var at = string.Join('.', segments);
        if (node is JsonObject actual && info.Kind == JsonTypeInfoKind.Object)
        {
            // STJ reports an unmapped member at its parent's path on some paths; find the member itself.
            info = Concrete(info, node);
            var names = info.Properties.Select(p => p.Name).ToHashSet();
            var unknown = actual.Select(p => p.Key).FirstOrDefault(k => !names.Contains(k) && k != StrategyKinds.Property);
            if (unknown is not null)
                return UnknownField(at.Length == 0 ? unknown : $"{at}.{unknown}", info);
        }
        return new PolicyFieldException(at, $"expected {Expected(info.Type)}, got {Describe(node)}");
    }

    /// <summary>A JSON value as an error shows it: its kind, and its text for scalars (string "low", number 1.5).</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ when node.GetValueKind() is JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
        _ => $"{node.GetValueKind().ToString().ToLowerInvariant()} {node.ToJsonString()}",
    };

    private static PolicyFieldException UnknownField(string field, JsonTypeInfo owner)
    {
        var expected = owner.Properties.Select(p => p.Name);
        if (owner.Type.IsAssignableTo(typeof(StrategySection)))
            expected = expected.Prepend(StrategyKinds.Property);
        return new PolicyFieldException(field, $"unknown field (expected one of {string.Join(", ", expected)})");
    }

    /// <summary>The derived contract a polymorphic strategy's "kind" selects.</summary>
    private static JsonTypeInfo Concrete(JsonTypeInfo info, JsonNode? node)
    {
        if (info.PolymorphismOptions is not { } polymorphism || node?[StrategyKinds.Property] is not JsonValue kind)
            return info;
        var derived = polymorphism.DerivedTypes.FirstOrDefault(d => Equals(d.TypeDiscriminator, kind.GetValue<string>()));
        return derived.DerivedType is null ? info : PolicyJsonContext.Default.GetTypeInfo(derived.DerivedType)!;
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
            return "an integer";
        if (type == typeof(double))
            return "a number";
        if (type == typeof(string))
            return "a string";
        return "an object";
    }

    /// <summary>"$.categories.code['odd key']" → [categories, code, odd key].</summary>
    private static List<string> PathSegments(string? path)
    {
        var segments = new List<string>();
        var rest = (path ?? "$").AsSpan(1);
        while (!rest.IsEmpty)
        {
            if (rest.StartsWith("['"))
            {
                var end = rest.IndexOf("']");
                segments.Add(rest[2..end].ToString());
                rest = rest[(end + 2)..];
            }
            else if (rest[0] == '[')
            {
                var end = rest.IndexOf(']');
                segments.Add(rest[1..end].ToString());
                rest = rest[(end + 1)..];
            }
            else
            {
                rest = rest[1..]; // '.'
                var end = rest.IndexOfAny('.', '[');
                segments.Add((end < 0 ? rest : rest[..end]).ToString());
                rest = end < 0 ? [] : rest[end..];
            }
        }
        return segments;
    }
}
