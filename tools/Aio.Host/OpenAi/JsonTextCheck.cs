using System.Text;
using System.Text.Json;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// Finds the first JSON string in a body that is not text: bytes that are not UTF-8, or an escaped lone surrogate
/// ("\ud800"). JSON's grammar lets both through and System.Text.Json reads them, but fails later, deep inside
/// deserialization or at GetString, where the fault looks like the server's. One pass over the (size-bounded) body
/// names the field instead: "messages[0].content".
/// </summary>
public static class JsonTextCheck
{
    /// <summary>The path of the first string that is not valid text; null when all are (syntax errors are left to the parser).</summary>
    public static string? FirstInvalidString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        // Per open container: the property name being read (objects) or the next index (arrays).
        var path = new List<(string? Property, int Index)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!IsText(ref reader))
                            return Render(path, "(a property name)");
                        path[^1] = (reader.GetString(), -1);
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Add((null, reader.TokenType == JsonTokenType.StartArray ? 0 : -1));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        Advance(path);
                        continue;
                    case JsonTokenType.String when !IsText(ref reader):
                        return Render(path, null);
                    default:
                        Advance(path);
                        continue;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the deserializer reports it with its position.
        }
        return null;
    }

    private static bool IsText(ref Utf8JsonReader reader)
    {
        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>After a value inside an array, the next one has the next index.</summary>
    private static void Advance(List<(string? Property, int Index)> path)
    {
        if (path.Count > 0 && path[^1].Index >= 0)
            path[^1] = (null, path[^1].Index + 1);
    }

    private static string Render(List<(string? Property, int Index)> path, string? suffix)
    {
        var text = new StringBuilder();
        foreach (var (property, index) in path)
        {
            if (index >= 0)
                text.Append('[').Append(index).Append(']');
            else if (property is not null)
                text.Append(text.Length > 0 ? "." : "").Append(property);
        }
        return suffix is null ? text.ToString() : (text.Length > 0 ? text + " " : "") + suffix;
    }
}
