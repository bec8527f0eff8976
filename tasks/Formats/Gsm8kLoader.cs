using AscendAio.Tasks.Scoring;

namespace AscendAio.Tasks.Formats;

/// <summary>GSM8K jsonl (question, answer ending in "#### N"); scored by final-number match.</summary>
public static class Gsm8kLoader
{
    public static List<TaskItem> Load(string path)
    {
        var items = new List<TaskItem>();
        foreach (var (line, row) in JsonlReader.Read(path))
        {
            string question = JsonlReader.RequireString(row, "question", path, line);
            string answer = JsonlReader.RequireString(row, "answer", path, line);
            int hashes = answer.LastIndexOf("####", StringComparison.Ordinal);
            if (hashes < 0)
                throw new TaskFormatException(path, line, "field 'answer' has no '#### <number>' final answer");
            var gold = TaskScorer.FinalNumber(answer[hashes..])
                ?? throw new TaskFormatException(path, line, "the final answer after '####' is not a number");
            items.Add(new TaskItem
            {
                Id = $"gsm8k-{line}",
                Family = TaskFamilies.Math,
                Category = TaskFamilies.Math,
                Request = question,
                Answer = answer,
                Scorer = new ScorerData { Kind = "number", Gold = gold.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }
        return items;
    }
}
