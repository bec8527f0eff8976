namespace AscendAio.Tasks.Formats;

/// <summary>
/// HumanEval jsonl (task_id, prompt, canonical_solution, test, entry_point). Scored pass@1 by
/// running the check with a user-supplied Python interpreter (<see cref="Scoring.PythonRunner"/>).
/// </summary>
public static class HumanEvalLoader
{
    public static List<TaskItem> Load(string path)
    {
        var items = new List<TaskItem>();
        foreach (var (line, row) in JsonlReader.Read(path))
        {
            string id = JsonlReader.RequireString(row, "task_id", path, line);
            string prompt = JsonlReader.RequireString(row, "prompt", path, line);
            string test = JsonlReader.RequireString(row, "test", path, line);
            string entry = JsonlReader.RequireString(row, "entry_point", path, line);
            string solution = row.TryGetProperty("canonical_solution", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.String
                ? s.GetString()! : "";
            items.Add(new TaskItem
            {
                Id = id,
                Family = TaskFamilies.Code,
                Category = TaskFamilies.Code,
                Request = prompt,
                Answer = solution,
                Scorer = new ScorerData { Kind = "python-exec", Prompt = prompt, Test = test, EntryPoint = entry },
            });
        }
        return items;
    }
}
