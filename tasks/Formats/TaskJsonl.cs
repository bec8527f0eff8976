using System.Text;
using System.Text.Json;

namespace AscendAio.Tasks.Formats;

/// <summary>The suites' own JSONL format: one <see cref="TaskItem"/> per line.</summary>
public static class TaskJsonl
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IEnumerable<TaskItem> items)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var item in items)
        {
            writer.Write(JsonSerializer.Serialize(item, Options));
            writer.Write('\n');
        }
    }

    public static List<TaskItem> Read(string path)
    {
        var items = new List<TaskItem>();
        foreach (var (line, row) in JsonlReader.Read(path))
        {
            TaskItem? item;
            try
            {
                item = row.Deserialize<TaskItem>(Options);
            }
            catch (JsonException e)
            {
                throw new TaskFormatException(path, line, $"not a task item ({e.Message})");
            }
            items.Add(item ?? throw new TaskFormatException(path, line, "null task item"));
        }
        return items;
    }
}
