using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation.EngineBench;

/// <summary>One concurrency level of one side (batched or not), medians over rounds.</summary>
public sealed record BatchingRow(
    string Side, int Concurrency, int Rounds, double TokensPerSecond, double TokensPerSecondMin, double TokensPerSecondMax,
    double TtftP50Ms, double TtftP99Ms, double PerTokenP50Ms, double PerTokenP99Ms, double MeanRowsPerStep);

/// <summary>
/// Continuous batching against the unbatched engine on the memory-bound model: c concurrent greedy requests (short
/// random prompts, N new tokens each) through the <see cref="StepScheduler"/> (one batched decode step for all rows)
/// or each on its own sequence (every call serialised on the model's gate), sides and concurrencies interleaved per
/// round. Aggregate generated tokens/s, time to first token and per-token latency (gaps between a request's tokens).
/// </summary>
public static class BatchingBench
{
    public static List<BatchingRow> Run(string bundle, int[] concurrencies, int newTokens, int rounds, Action<string> progress)
    {
        using var device = Device.Open();
        using var model = LanguageModel.Load(device, ModelBundle.Load(bundle), new LanguageModelOptions { MaxIdleCaches = concurrencies.Max() });
        var random = new Random(1234);
        int[] Prompt() => Enumerable.Range(0, 16).Select(_ => random.Next(3, model.VocabSize)).ToArray();
        var samples = new Dictionary<(string, int), List<Sample>>();

        progress("batching: warm-up (discarded)");
        RunBatched(model, [Prompt(), Prompt()], 4);
        RunAlone(model, [Prompt(), Prompt()], 4);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var c in concurrencies)
            {
                foreach (var side in round % 2 == 1 ? new[] { "batched", "unbatched" } : ["unbatched", "batched"])
                {
                    var prompts = Enumerable.Range(0, c).Select(_ => Prompt()).ToArray();
                    var sample = side == "batched" ? RunBatched(model, prompts, newTokens) : RunAlone(model, prompts, newTokens);
                    (samples.TryGetValue((side, c), out var list) ? list : samples[(side, c)] = []).Add(sample);
                    progress($"batching: round {round}, {side}, concurrency {c}: {sample.TokensPerSecond:F1} tok/s");
                }
            }
        }
        return samples.OrderBy(p => p.Key.Item2).ThenBy(p => p.Key.Item1).Select(p =>
        {
            var tps = p.Value.Select(s => s.TokensPerSecond).Order().ToArray();
            return new BatchingRow(p.Key.Item1, p.Key.Item2, p.Value.Count, BenchStatistics.Median(tps), tps[0], tps[^1],
                BenchStatistics.Median(p.Value.Select(s => s.TtftP50Ms)), BenchStatistics.Median(p.Value.Select(s => s.TtftP99Ms)),
                BenchStatistics.Median(p.Value.Select(s => s.PerTokenP50Ms)), BenchStatistics.Median(p.Value.Select(s => s.PerTokenP99Ms)),
                BenchStatistics.Median(p.Value.Select(s => s.RowsPerStep)));
        }).ToList();
    }

    private sealed record Sample(double TokensPerSecond, double TtftP50Ms, double TtftP99Ms, double PerTokenP50Ms, double PerTokenP99Ms, double RowsPerStep);

    private static Sample RunBatched(LanguageModel model, int[][] prompts, int newTokens)
    {
        using var scheduler = new StepScheduler(model);
        var noStop = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        var times = prompts.Select(p => Task.Run(async () =>
        {
            var stamps = new List<double>();
            await foreach (var _ in scheduler.GenerateAsync(p, newTokens, noStop))
                stamps.Add(clock.Elapsed.TotalMilliseconds);
            return stamps;
        })).ToArray();
        Task.WaitAll(times);
        return Summarise(times.Select(t => t.Result).ToList(), clock.Elapsed.TotalSeconds, (double)scheduler.RowSteps / Math.Max(1, scheduler.Steps));
    }

    private static Sample RunAlone(LanguageModel model, int[][] prompts, int newTokens)
    {
        var clock = Stopwatch.StartNew();
        var threads = prompts.Select(p =>
        {
            var stamps = new List<double>();
            var thread = new Thread(() =>
            {
                using var sequence = model.CreateSequence();
                var token = sequence.Prefill(p);
                stamps.Add(clock.Elapsed.TotalMilliseconds);
                for (var i = 1; i < newTokens; i++)
                {
                    token = sequence.Decode(token);
                    stamps.Add(clock.Elapsed.TotalMilliseconds);
                }
            });
            thread.Start();
            return (thread, stamps);
        }).ToList();
        threads.ForEach(t => t.thread.Join());
        return Summarise(threads.Select(t => t.stamps).ToList(), clock.Elapsed.TotalSeconds, 1);
    }

    private static Sample Summarise(List<List<double>> stamps, double seconds, double rowsPerStep)
    {
        var ttft = stamps.Select(s => s[0]).Order().ToArray();
        var gaps = stamps.SelectMany(s => s.Zip(s.Skip(1), (a, b) => b - a)).Order().ToArray();
        return new Sample(stamps.Sum(s => s.Count) / seconds, BenchStatistics.Percentile(ttft, 0.5), BenchStatistics.Percentile(ttft, 0.99),
            BenchStatistics.Percentile(gaps, 0.5), BenchStatistics.Percentile(gaps, 0.99), rowsPerStep);
    }
}
