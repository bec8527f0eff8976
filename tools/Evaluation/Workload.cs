using AscendAio.Tasks;

namespace AscendAio.Evaluation;

/// <summary>One slice of a workload: which test items it draws from and what share of the trace it is.</summary>
public sealed record WorkloadSlice(string Name, string Family, string? Category, double Share);

/// <summary>
/// A named request mix. The per-task workloads (code, qa, math, long) are one family each; the scenarios
/// mix families as the paper's Table 4 does: A (70% code, 20% qa, 10% math), B (30/40/30), C (50% long-context
/// code, 50% short qa).
/// </summary>
public sealed record Workload(string Name, IReadOnlyList<WorkloadSlice> Slices)
{
    public bool IsScenario => Slices.Count > 1;

    public static readonly Workload Code = Single(TaskFamilies.Code);
    public static readonly Workload Qa = Single(TaskFamilies.Qa);
    public static readonly Workload Math = Single(TaskFamilies.Math);
    public static readonly Workload Long = Single(TaskFamilies.Long);

    public static readonly Workload ScenarioA = new("A",
    [
        new("code", TaskFamilies.Code, null, 0.7), new("qa", TaskFamilies.Qa, null, 0.2), new("math", TaskFamilies.Math, null, 0.1),
    ]);

    public static readonly Workload ScenarioB = new("B",
    [
        new("code", TaskFamilies.Code, null, 0.3), new("qa", TaskFamilies.Qa, null, 0.4), new("math", TaskFamilies.Math, null, 0.3),
    ]);

    public static readonly Workload ScenarioC = new("C",
    [
        new("long-code", TaskFamilies.Long, TaskFamilies.Code, 0.5), new("qa", TaskFamilies.Qa, null, 0.5),
    ]);

    public static IReadOnlyList<Workload> PerTask => [Code, Qa, Math, Long];

    public static IReadOnlyList<Workload> Scenarios => [ScenarioA, ScenarioB, ScenarioC];

    public static Workload Parse(string name) =>
        PerTask.Concat(Scenarios).FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown workload '{name}' (code, qa, math, long, A, B, C)", nameof(name));

    private static Workload Single(string family) => new(family, [new(family, family, null, 1.0)]);
}
