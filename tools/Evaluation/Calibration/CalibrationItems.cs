using AscendAio.Tasks;
using AscendAio.Tasks.Formats;

namespace AscendAio.Evaluation.Calibration;

/// <summary>The task items calibration runs: the seeded suites (or JSONL files of a data folder), mixed so any prefix is balanced.</summary>
public static class CalibrationItems
{
    /// <summary>Every family's splits: generated from <paramref name="seed"/>, or read from DATA/&lt;family&gt;/&lt;split&gt;.jsonl.</summary>
    public static IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> Load(string? data, ulong seed)
    {
        if (data is null)
            return new SuiteGenerator(seed).GenerateAll();
        if (!Directory.Exists(data))
            throw new DirectoryNotFoundException($"data folder '{data}' does not exist");
        var map = new Dictionary<(string, string), IReadOnlyList<TaskItem>>();
        foreach (var family in TaskFamilies.Generated.Append(TaskFamilies.Probe))
        {
            foreach (var split in Splits.All)
            {
                var path = Path.Combine(data, family, split + ".jsonl");
                if (File.Exists(path))
                    map[(family, split)] = TaskJsonl.Read(path);
            }
        }
        return map;
    }

    /// <summary>The split's families (code, qa, math, long) taken round-robin, so any prefix is a balanced mix; empty when none has the split.</summary>
    public static IReadOnlyList<TaskItem> Interleave(IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> suites, string split, int limit)
    {
        var lists = TaskFamilies.Generated.Select(f => suites.GetValueOrDefault((f, split)) ?? []).ToArray();
        var items = new List<TaskItem>();
        for (var i = 0; items.Count < limit && lists.Any(l => i < l.Count); i++)
        {
            foreach (var list in lists)
            {
                if (i < list.Count && items.Count < limit)
                    items.Add(list[i]);
            }
        }
        return items;
    }

    /// <summary>The held-out probe requests, round-robin over categories, so a shorter run stays balanced.</summary>
    public static IReadOnlyList<TaskItem> ProbeHoldout(IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> suites, int limit) =>
        (suites.GetValueOrDefault((TaskFamilies.Probe, Splits.Test)) ?? [])
            .GroupBy(i => i.Category).SelectMany(g => g.Select((item, k) => (item, k))).OrderBy(p => p.k)
            .Select(p => p.item).Take(limit).ToList();
}
