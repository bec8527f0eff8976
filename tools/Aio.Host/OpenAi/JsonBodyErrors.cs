using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// Words for System.Text.Json's complaints about a request body. Its type errors name .NET types
/// ("could not be converted to System.Nullable`1[System.Int32]"); a client needs the field and the JSON it expects
/// ("'max_tokens' must be an integer"), which this finds by walking the error's path through the body type.
/// </summary>
public static partial class JsonBodyErrors
{
    /// <summary>The field a JSON error is about, in the request's own spelling ("messages[0].role"); null at the root.</summary>
    public static string? Field(JsonException e) => e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : null;

    /// <summary>A message for the client: what the field must be when it had the wrong type, else the parser's complaint.</summary>
    public static string Describe(Type bodyType, JsonException e)
    {
        var field = Field(e);
        if (field is not null && e.Message.Contains("could not be converted", StringComparison.Ordinal) && ExpectedAt(bodyType, field) is { } expected)
            return $"'{field}' must be {expected}";
        var where = field is null ? "" : $" at '{field}'";
        // The parser's own words without the .NET details (types, byte positions) a client cannot act on.
        return $"We could not parse the JSON body of your request{where}: {TypeName().Replace(e.Message.Split(" Path:")[0], "a value of another type")}";
    }

    /// <summary>The JSON the body type expects at <paramref name="field"/> ("messages[0].role"), in words.</summary>
    public static string? ExpectedAt(Type bodyType, string field)
    {
        var type = bodyType;
        foreach (Match step in PathStep().Matches(field))
        {
            if (step.Groups["index"].Success)
            {
                type = ElementType(type);
            }
            else
            {
                var name = step.Groups["name"].Value;
                var property = type?.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => OpenAiJson.Options.PropertyNamingPolicy!.ConvertName(p.Name) == name);
                type = property?.PropertyType;
            }
            if (type is null)
                return null;
        }
        return type is null ? null : Words(type);
    }

    private static Type? ElementType(Type? type) =>
        type?.IsArray == true ? type.GetElementType() : type?.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string? Words(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
            return "an integer";
        if (type == typeof(double) || type == typeof(float))
            return "a number";
        if (type == typeof(bool))
            return "true or false";
        if (type == typeof(string))
            return "a string";
        if (type == typeof(JsonElement))
            return null;
        if (ElementType(type) is not null)
            return "an array";
        return "an object";
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();

    [GeneratedRegex(@"System\.[A-Za-z0-9_.`\[\], ]+")]
    private static partial Regex TypeName();
}
