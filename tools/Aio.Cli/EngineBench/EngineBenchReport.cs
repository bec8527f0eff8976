using AscendAio.Evaluation.Load;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AscendAio.Cli.EngineBench;

/// <summary>Everything one `aio bench engine` run measured; written as JSON with --json.</summary>
public sealed class EngineBenchReport
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;
    public required string Command { get; init; }
    public string Machine { get; init; } = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}";

    /// <summary>CPU device intra-op threads (AIO_CPU_THREADS or the core count).</summary>
    public int Threads { get; init; }

    public List<StepOverheadResult> Overhead { get; } = [];
    public List<DecodeRow> Decode { get; } = [];
    public RooflineResult? Roofline { get; set; }
    public List<LoadRow> Load { get; } = [];
}

/// <summary>The report as Markdown tables (stdout), ready to paste into the benchmark note.</summary>
public static class EngineBenchTables
{
    public static void Print(TextWriter w, EngineBenchReport r)
    {
        w.WriteLine($"# aio bench engine ({r.Started:yyyy-MM-dd HH:mm} UTC, {r.Machine}, CPU device threads {r.Threads})");
        w.WriteLine($"`{r.Command}`");
        if (r.Overhead.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("## Host overhead per plain decode step (us, median)");
            w.WriteLine("| model | steps | step | execute | overhead (A) | p10-p90 | of which copies | rest (managed + device API) | unprofiled step | bare execute | overhead (B) | graph |");
            w.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var o in r.Overhead)
            {
                w.WriteLine($"| {o.Model} | {o.Steps} | {o.MedianStepUs:F0} | {o.MedianExecuteUs:F0} | **{o.MedianOverheadUs:F0}** | {o.P10OverheadUs:F0}-{o.P90OverheadUs:F0} | " +
                            $"{o.MedianCopyUs:F0} | {o.MedianHostCodeUs:F0} | {o.UnprofiledMedianStepUs:F0} | {o.BareExecuteMedianUs:F0} | {o.OverheadByDifferenceUs:F0} | {o.DecodeGraph} |");
            }
        }
        if (r.Decode.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("## Decode tokens/s (greedy; acceptance = accepted drafts / proposed)");
            var suites = r.Decode.Select(d => d.Suite).Distinct().ToList();
            w.WriteLine("| model | strategy | " + string.Join(" | ", suites) + " | all |");
            w.WriteLine("|---|---|" + string.Concat(suites.Select(_ => "---|")) + "---|");
            foreach (var group in r.Decode.GroupBy(d => (d.Model, d.Strategy)))
            {
                var cells = suites.Select(s => group.FirstOrDefault(d => d.Suite == s) is { } d ? Cell(d) : "-");
                var tokens = group.Sum(d => d.GeneratedTokens - d.Requests);
                var seconds = group.Sum(d => d.DecodeSeconds);
                var proposed = group.Sum(d => d.DraftTokensProposed);
                var all = $"{(seconds > 0 ? tokens / seconds : 0):F1}" + (proposed > 0 ? $" ({(double)group.Sum(d => d.DraftTokensAccepted) / proposed:P0})" : "");
                w.WriteLine($"| {group.Key.Model} | {group.Key.Strategy} | {string.Join(" | ", cells)} | {all} |");
            }
            w.WriteLine();
            w.WriteLine("Requests run / skipped (prompt over the context) / tokens generated per cell:");
            foreach (var d in r.Decode)
                w.WriteLine($"- {d.Model} {d.Strategy} {d.Suite}: {d.Requests} run, {d.SkippedForContext} skipped, {d.GeneratedTokens} tokens, {d.ForwardPasses} forward passes" +
                            (d.DraftForwardPasses > 0 ? $", {d.DraftForwardPasses} draft passes" : ""));
        }
        if (r.Load.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("## Serving load: continuous batching vs the unbatched engine (closed loop, the suites' requests, greedy; medians over rounds)");
            w.WriteLine("| model | prompt tokens (mean) | concurrency | side | tok/s | min-max | vs unbatched | req/s | TTFT p50 / p99 ms | per-token p50 / p99 ms | errors | rows per step |");
            w.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var b in r.Load)
            {
                var unbatched = r.Load.FirstOrDefault(u => u.Model == b.Model && u.Side == LoadBench.Unbatched && u.Concurrency == b.Concurrency);
                var ratio = unbatched is { TokensPerSecond: > 0 } ? $"{b.TokensPerSecond / unbatched.TokensPerSecond:F2}x" : "-";
                w.WriteLine($"| {b.Model} | {b.MeanPromptTokens:F0} | {b.Concurrency} | {b.Side} | {b.TokensPerSecond:F1} | {b.TokensPerSecondMin:F1}-{b.TokensPerSecondMax:F1} | {ratio} | {b.RequestsPerSecond:F2} | " +
                            $"{b.TtftP50Ms:F0} / {b.TtftP99Ms:F0} | {b.PerTokenP50Ms:F1} / {b.PerTokenP99Ms:F1} | {b.Errors} | {b.RowsPerStep:F2} |");
            }
        }
        if (r.Roofline is { } f)
        {
            w.WriteLine();
            w.WriteLine("## Memory-bound decode against the roofline");
            w.WriteLine("| weights | KV window | bytes/token | graphs | load | RSS before -> after load | device memory charged | decode tok/s per round | median step | read GB/s before each round | roofline tok/s (best read) | fraction per round | fraction (median) |");
            w.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            var ceiling = f.ReadBandwidth.BestGBps * 1e9 / f.BytesPerToken;
            w.WriteLine($"| {f.WeightBytes / 1e9:F3} GB | {f.KvWindowBytes / 1e6:F1} MB | {f.BytesPerToken / 1e9:F3} GB | {f.Graphs} | {f.LoadSeconds:F1} s | " +
                        $"{f.RssBeforeLoadBytes / 1e9:F2} -> {f.RssAfterLoadBytes / 1e9:F2} GB | {f.DeviceBytesAfterLoad / 1e9:F2} GB | {Join(f.RoundTokensPerSecond)} | {f.MedianStepMs:F1} ms | " +
                        $"{Join(f.RoundReadGBps, "F1")} ({f.ReadBandwidth.Threads} threads) | {ceiling:F2} | {Join(f.RoundFractions)} | **{f.Fraction:F2}** |");
            w.WriteLine();
            w.WriteLine($"Bytes per token = weights + the gear's KV window (read by every decode step). Read bandwidth: {f.ReadBandwidth.Kernel} over {f.ReadBandwidth.Bytes >> 20} MiB, " +
                        $"best {f.ReadBandwidth.BestGBps:F1} / median {f.ReadBandwidth.MedianGBps:F1} GB/s over {f.ReadBandwidth.Passes} passes; against the best pass of the run the fraction is {f.FractionOfBestBandwidth:F2}. " +
                        $"Device D2D copy: {f.CopyBandwidth.BestGBps:F1} GB/s copied (best of {f.CopyBandwidth.Passes}).");
        }
    }

    private static string Join(IEnumerable<double> values, string format = "F2") => string.Join(", ", values.Select(v => v.ToString(format)));

    private static string Cell(DecodeRow d) =>
        $"{d.DecodeTokensPerSecond:F1}" + (d.DraftTokensProposed > 0 ? $" ({d.AcceptanceRate:P0})" : "") + (d.SkippedForContext > 0 && d.Requests == 0 ? " (all skipped)" : "");
}
