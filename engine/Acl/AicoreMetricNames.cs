using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>
/// The AI Core metric groups by the names msprof's --aic-metrics takes (CANN profiling guide), mapped to
/// aclprofCreateConfig's <see cref="aclprofAicoreMetrics"/> values; "None" collects no AI Core metrics.
/// </summary>
public static class AicoreMetricNames
{
    public const string Default = "PipeUtilization";

    private static readonly (string Name, aclprofAicoreMetrics Value)[] Names =
    [
        ("ArithmeticUtilization", aclprofAicoreMetrics.ACL_AICORE_ARITHMETIC_UTILIZATION),
        ("PipeUtilization", aclprofAicoreMetrics.ACL_AICORE_PIPE_UTILIZATION),
        ("Memory", aclprofAicoreMetrics.ACL_AICORE_MEMORY_BANDWIDTH),
        ("MemoryL0", aclprofAicoreMetrics.ACL_AICORE_L0B_AND_WIDTH),
        ("ResourceConflictRatio", aclprofAicoreMetrics.ACL_AICORE_RESOURCE_CONFLICT_RATIO),
        ("MemoryUB", aclprofAicoreMetrics.ACL_AICORE_MEMORY_UB),
        ("L2Cache", aclprofAicoreMetrics.ACL_AICORE_L2_CACHE),
        ("PipeExecuteUtilization", aclprofAicoreMetrics.ACL_AICORE_PIPE_EXECUTE_UTILIZATION),
        ("MemoryAccess", aclprofAicoreMetrics.ACL_AICORE_MEMORY_ACCESS),
        ("None", aclprofAicoreMetrics.ACL_AICORE_NONE),
    ];

    public static aclprofAicoreMetrics Parse(string name)
    {
        foreach (var (known, value) in Names)
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
                return value;
        throw new ArgumentException($"unknown AI Core metrics '{name}'; one of {string.Join(", ", Names.Select(n => n.Name))}");
    }
}
