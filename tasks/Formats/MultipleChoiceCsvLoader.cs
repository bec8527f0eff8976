namespace AscendAio.Tasks.Formats;

/// <summary>
/// MMLU csv (no header: question, A, B, C, D, answer) and C-eval csv (header
/// id, question, A, B, C, D, answer[, explanation]). Scored by letter match.
/// </summary>
public static class MultipleChoiceCsvLoader
{
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static List<TaskItem> Load(string path)
    {
        var items = new List<TaskItem>();
        int questionColumn = 0;
        bool first = true;
        foreach (var (line, fields) in CsvRows.Read(path))
        {
            if (first)
            {
                first = false;
                string head = fields[0].Trim().TrimStart('\uFEFF').ToLowerInvariant();
                if (head is "id" or "question")
                {
                    questionColumn = head == "id" ? 1 : 0;
                    continue;
                }
            }
            int needed = questionColumn + 6;
            if (fields.Count < needed)
                throw new TaskFormatException(path, line, $"expected at least {needed} columns (question, A, B, C, D, answer) but found {fields.Count}");
            string question = fields[questionColumn];
            string answer = fields[questionColumn + 5].Trim().ToUpperInvariant();
            if (Array.IndexOf(Letters, answer) < 0)
                throw new TaskFormatException(path, line, $"answer column must be A, B, C or D but is '{fields[questionColumn + 5]}'");
            var options = string.Join("\n", Letters.Select((l, k) => $"{l}. {fields[questionColumn + 1 + k]}"));
            items.Add(new TaskItem
            {
                Id = questionColumn == 1 ? fields[0] : $"mc-{line}",
                Family = TaskFamilies.Qa,
                Category = TaskFamilies.Qa,
                Request = $"{question}\n{options}\nAnswer:",
                Answer = answer,
                Scorer = new ScorerData { Kind = "letter", Gold = answer },
            });
        }
        return items;
    }
}
