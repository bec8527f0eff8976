using System.Text.Json;

namespace AscendAio.Tasks.Formats;

/// <summary>Reads JSON Lines, yielding each non-blank line's object with its 1-based line number.</summary>
internal static class JsonlReader
{
    public static IEnumerable<(int Line, JsonElement Row)> Read(string path)
    {
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement row;
            try
            {
                using var doc = JsonDocument.Parse(line);
                row = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new TaskFormatException(path, lineNumber, $"not valid JSON ({e.Message})");
            }
            if (row.ValueKind != JsonValueKind.Object)
                throw new TaskFormatException(path, lineNumber, "expected a JSON object");
            yield return (lineNumber, row);
        }
    }

    public static string RequireString(JsonElement row, string field, string path, int line)
    {
        if (!row.TryGetProperty(field, out var value))
            throw new TaskFormatException(path, line, $"missing field '{field}'");
        if (value.ValueKind != JsonValueKind.String)
            throw new TaskFormatException(path, line, $"field '{field}' must be a string");
        return value.GetString()!;
    }
}
