using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AscendAio.Router.Policies.Json;

// The policy file's JSON contract (policies/aio.json). Property order is the order ToJson writes; absent (null)
// optional members are not written. PolicyFile maps these to PolicyOptions and back.

internal sealed class PolicyDocument
{
    public string? Policy { get; set; }

    [JsonConverter(typeof(NamedInfinityConverter))]
    public double? Tau { get; set; }

    public int? ContextLimit { get; set; }
    public FallbackSection? Fallback { get; set; }
    public Dictionary<string, CategorySection>? Categories { get; set; }
    public PldSection? Pld { get; set; }
    public int? DraftTokens { get; set; }
    public int? Seed { get; set; }

    [JsonConverter(typeof(NamedInfinityConverter))]
    public double? RandomSmallShare { get; set; }

    public ProbeSection? Probe { get; set; }

    /// <summary>Free-form calibration record written by `aio calibrate`; kept as-is.</summary>
    public JsonObject? Calibration { get; set; }

    /// <summary>Free text for people; read and ignored.</summary>
    public JsonElement? Comment { get; set; }
}

internal sealed class FallbackSection
{
    public string? Model { get; set; }

    /// <summary>Written even when null: null means "keep the category's strategy".</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public StrategySection? Strategy { get; set; }
}

internal sealed class CategorySection
{
    public string? Model { get; set; }
    public int? ContextLimit { get; set; }
    public StrategySection? Strategy { get; set; }
    public StrategySection? FallbackStrategy { get; set; }
}

/// <summary>The top-level "pld" settings: a PLD strategy without its "kind".</summary>
internal sealed class PldSection
{
    public int? MaxNgram { get; set; }
    public int? LookAhead { get; set; }
}

/// <summary>A decoding strategy, told apart by "kind" (a bare string is shorthand for { "kind": … }).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = StrategyKinds.Property)]
[JsonDerivedType(typeof(PlainStrategySection), StrategyKinds.Plain)]
[JsonDerivedType(typeof(PldStrategySection), StrategyKinds.Pld)]
[JsonDerivedType(typeof(DraftStrategySection), StrategyKinds.Draft)]
internal abstract class StrategySection;

internal sealed class PlainStrategySection : StrategySection;

internal sealed class PldStrategySection : StrategySection
{
    public int? MaxNgram { get; set; }
    public int? LookAhead { get; set; }
}

internal sealed class DraftStrategySection : StrategySection
{
    public int? DraftTokens { get; set; }
}

internal sealed class ProbeSection
{
    public Dictionary<string, string>? Labels { get; set; }
    public string? Instruction { get; set; }
    public string? AnswerPrefix { get; set; }
}

internal static class StrategyKinds
{
    public const string Property = "kind";
    public const string Plain = "plain";
    public const string Pld = "pld";
    public const string Draft = "draft";
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    AllowOutOfOrderMetadataProperties = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    Converters = [typeof(WholeNumberConverter)])]
[JsonSerializable(typeof(PolicyDocument))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext
{
    /// <summary>The context files are written with: non-ASCII text (τ, ≥) stays readable.</summary>
    /// <remarks>Lazy: the generated <see cref="Default"/> is initialised in another part of this partial class.</remarks>
    public static PolicyJsonContext Writing => LazyWriting.Value;

    private static readonly Lazy<PolicyJsonContext> LazyWriting = new(CreateWriting);

    private static PolicyJsonContext CreateWriting()
    {
        var options = new JsonSerializerOptions(Default.Options)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        return new PolicyJsonContext(options);
    }
}

/// <summary>A number, or "inf" / "Infinity" for +∞ (a τ that disables the entropy gate); +∞ is written as "inf".</summary>
internal sealed class NamedInfinityConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
            return value;
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is "inf" or "Infinity")
            return double.PositiveInfinity;
        throw new JsonException(); // PolicyJsonErrors words it from the contract and the value.
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsPositiveInfinity(value))
            writer.WriteStringValue("inf");
        else
            writer.WriteNumberValue(value);
    }
}

/// <summary>An integer, also when written with a zero fraction (4.0), as hand-edited files sometimes are.</summary>
internal sealed class WholeNumberConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var value))
                return value;
            if (reader.TryGetDouble(out var number) && number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue)
                return (int)number;
        }
        throw new JsonException(); // PolicyJsonErrors words it from the contract and the value.
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
