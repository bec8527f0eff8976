using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AscendAio.Bench;

/// <summary>
/// Minutes, not hours: BenchmarkDotNet's defaults (loggers, exporters, columns) with its short run (1 launch, 3 warm-up,
/// 3 measured iterations), in process (the CPU device and its ONNX Runtime are already beside the assembly; no child
/// project to build), with allocations shown because the steady-state decode loop is meant to allocate nothing.
/// Reports go to artifacts/bench/BenchmarkDotNet (relative to the working directory: run from the repo root).
/// </summary>
public static class ShortRunConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(StatisticColumn.Median)
        .WithOptions(ConfigOptions.JoinSummary)
        .WithArtifactsPath(Path.Combine("artifacts", "bench", "BenchmarkDotNet"));   // under the git-ignored artifacts/ of the repo root
}
