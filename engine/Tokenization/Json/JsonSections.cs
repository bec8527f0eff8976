using System.Text.Json;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>Typed reads of tokenizer.json fields; a missing or mistyped required field names the file and section.</summary>
internal static class JsonSections
{
    public static string RequiredString(this JsonElement e, string name, string source, string context)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
            return v.GetString()!;
        throw new InvalidDataException($"{source}: {context} needs a string '{name}'");
    }

    public static JsonElement.ArrayEnumerator RequiredArray(this JsonElement e, string name, string source, string context)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array)
            return v.EnumerateArray();
        throw new InvalidDataException($"{source}: {context} needs an array '{name}'");
    }

    public static string? OptionalString(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool? OptionalBool(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : null;

    public static int? OptionalInt(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? i
            : null;

    /// <summary>The named section, or a JSON null element when absent.</summary>
    public static JsonElement Section(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : default;
}
