using System.Globalization;
using System.Text;
using AscendAio.Evaluation.Statistics;
using AscendAio.Tasks;

namespace AscendAio.Evaluation;

public static partial class ReportWriter
{
    /// <summary>
    /// The paper's Table 1: each model's accuracy on short and long prompts, on code and on lookup, from the per-task
    /// cells' requests. The small model's long prompts are its truncated run (head + tail); static-small's own long cells
    /// ran on the large model (†) and say nothing about the small one.
    /// </summary>
    public static IReadOnlyList<(string Model, IReadOnlyList<(string Column, Estimate? Accuracy, int N)> Cells)> ContextScaling(BenchResults results)
    {
        (string Column, string Workload, string Category)[] columns =
        [
            ("short code", TaskFamilies.Code, TaskFamilies.Code), ("long code", TaskFamilies.Long, TaskFamilies.Code),
            ("short qa", TaskFamilies.Qa, TaskFamilies.Qa), ("long lookup", TaskFamilies.Long, TaskFamilies.Qa),
        ];
        (string Model, string Short, string Long)[] rows =
            [("small", "static-small", ConfigRunner.SmallTruncated), ("large", "static-large", "static-large")];
        return rows.Select(row => (row.Model, (IReadOnlyList<(string, Estimate?, int)>)columns.Select(c =>
        {
            var config = c.Workload == TaskFamilies.Long ? row.Long : row.Short;
            var outcomes = results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == c.Workload)?.PerRequest?
                .Where(x => x.Category == c.Category).ToList();
            return outcomes is { Count: > 0 }
                ? (c.Column, (Estimate?)BenchStatistics.Wilson(outcomes.Count(x => x.Correct), outcomes.Count), outcomes.Count)
                : (c.Column, null, 0);
        }).ToList())).ToList();
    }

    private static void AppendContextScaling(StringBuilder s, BenchResults results)
    {
        var rows = ContextScaling(results);
        if (rows.All(r => r.Cells.All(c => c.Accuracy is null)))
            return;
        s.AppendLine("## Context scaling (Table 1): accuracy [Wilson 95 %] (n)").AppendLine();
        s.AppendLine("| model | " + string.Join(" | ", rows[0].Cells.Select(c => c.Column)) + " |");
        s.AppendLine("|---|" + string.Concat(rows[0].Cells.Select(_ => "---|")));
        foreach (var (model, cells) in rows)
        {
            s.AppendLine($"| {model} | " + string.Join(" | ", cells.Select(c => c.Accuracy is { } a
                ? string.Create(CultureInfo.InvariantCulture, $"{a.Value:P0} [{a.Low:P0}, {a.High:P0}] ({c.N})")
                : "–")) + " |");
        }
        s.AppendLine();
        s.AppendLine($"Short: the code and qa workloads; long: the long workload's code and locker-lookup items. The small model's long prompts " +
            $"are cut to its context (head + tail, `{ConfigRunner.SmallTruncated}`); nothing moves them to the large model. " +
            "Short qa (knowledge-base questions) and long lookup (a note in filler) are different tasks: compare each model across lengths within a task only.").AppendLine();
    }
}
