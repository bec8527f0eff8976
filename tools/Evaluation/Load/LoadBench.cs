using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Tasks;

namespace AscendAio.Evaluation.Load;

/// <summary>
/// The serving load benchmark: closed-loop clients at each concurrency send the task suites' requests (code, qa, math
/// test items in the model's generation template, greedy, up to N new tokens, ending at EOS as served) to one model,
/// batched (<see cref="BatchedExecution"/>: the step scheduler <c>aio serve</c> runs, capacity = concurrency) and
/// unbatched (<see cref="DirectExecution"/>: each request its own session, every call serialised on the model's gate,
/// the engine before batching). Sides alternate and concurrencies repeat per round after a discarded warm-up;
/// each cell reports medians over the rounds.
/// </summary>
public static class LoadBench
{
    public const string Batched = "batched", Unbatched = "unbatched";

    public static List<LoadRow> Run(LanguageModel model, LoadBenchOptions options, Action<string> progress)
    {
        var prompts = SuitePrompts(model, options.PromptsPerFamily, options.MaxPromptTokens);
        var samples = new Dictionary<(string Side, int Concurrency), List<LoadSample>>();
        var next = 0;
        int[][] Take(int count) => Enumerable.Range(0, count).Select(_ => prompts[next++ % prompts.Length]).ToArray();

        progress($"load: {model.Name}: warm-up (discarded)");
        RunSide(model, Batched, 2, Take(4), options.MaxNewTokens);
        RunSide(model, Unbatched, 2, Take(4), options.MaxNewTokens);
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var c in options.Concurrencies)
            {
                var requests = Take(Math.Max(options.MinRequests, options.RequestsPerClient * c));
                foreach (var side in round % 2 == 1 ? new[] { Batched, Unbatched } : [Unbatched, Batched])
                {
                    var sample = RunSide(model, side, c, requests, options.MaxNewTokens);
                    (samples.TryGetValue((side, c), out var list) ? list : samples[(side, c)] = []).Add(sample);
                    progress($"load: {model.Name}: round {round}, {side}, concurrency {c}: {sample.TokensPerSecond:F1} tok/s, " +
                             $"TTFT p50 {sample.TtftP50Ms:F0} ms, per-token p99 {sample.PerTokenP99Ms:F0} ms, {sample.Errors} errors" +
                             (sample.FirstError is { } error ? $" (first: {error})" : ""));
                }
            }
        }
        var meanPrompt = prompts.Average(p => p.Length);
        return samples.OrderBy(p => p.Key.Concurrency).ThenBy(p => p.Key.Side)
            .Select(p => LoadRow.Of(model.Name, p.Key.Side, p.Key.Concurrency, meanPrompt, p.Value)).ToList();
    }

    /// <summary>The vocabulary size of the model bundle in <paramref name="bundle"/> (its tokenizer's).</summary>
    public static int TokenizerVocabulary(string bundle) => Engine.Bundles.BundleManifest.Load(bundle).Model.VocabSize;

    /// <summary>The suites' test requests (code, qa, math interleaved) as the model's prompt tokens, cut to their first <paramref name="maxTokens"/>.</summary>
    public static int[][] SuitePrompts(LanguageModel model, int perFamily, int? maxTokens = null)
    {
        var suites = new SuiteGenerator(SuiteGenerator.ReferenceSeed);
        var families = TaskFamilies.Categories.Select(f => suites.Generate(f, Splits.Test).Take(perFamily).ToArray()).ToArray();
        return Enumerable.Range(0, perFamily)
            .SelectMany(i => families.Where(f => i < f.Length).Select(f => f[i].Request))
            .Select(request => model.Bundle.EncodePrompt(RequestPrompt.Completion(request)))
            .Where(tokens => tokens.Length < model.ContextLimit / 2)
            .Select(tokens => maxTokens is { } max && tokens.Length > max ? tokens[..max] : tokens)
            .ToArray();
    }

    /// <summary>Runs <paramref name="requests"/> through <paramref name="concurrency"/> closed-loop clients on one side.</summary>
    private static LoadSample RunSide(LanguageModel model, string side, int concurrency, int[][] requests, int maxNewTokens)
    {
        using var batched = side == Batched ? new BatchedExecution([model], concurrency) : null;
        IGenerationExecution execution = batched is null ? DirectExecution.Instance : batched;
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens };
        var clock = Stopwatch.StartNew();
        var issued = -1;
        var runs = new List<RequestTimes>[concurrency];
        var errors = 0;
        string? firstError = null;
        var clients = Enumerable.Range(0, concurrency).Select(client => Task.Run(async () =>
        {
            runs[client] = [];
            for (var i = Interlocked.Increment(ref issued); i < requests.Length; i = Interlocked.Increment(ref issued))
            {
                var started = clock.Elapsed.TotalMilliseconds;
                var stamps = new List<double>();
                try
                {
                    await foreach (var update in execution.StreamAsync(model, requests[i], options).ConfigureAwait(false))
                        foreach (var _ in update.Tokens)
                            stamps.Add(clock.Elapsed.TotalMilliseconds);
                    runs[client].Add(new RequestTimes(started, stamps));
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
            }
        })).ToArray();
        Task.WaitAll(clients);
        var seconds = clock.Elapsed.TotalSeconds;
        var occupancy = batched is null ? 1 : batched.Schedulers.Sum(s => (double)s.RowSteps) / Math.Max(1, batched.Schedulers.Sum(s => s.Steps));
        return LoadSample.Of(runs.SelectMany(r => r).ToList(), seconds, errors, firstError, occupancy);
    }
}

/// <summary>Knobs of <see cref="LoadBench"/>.</summary>
public sealed record LoadBenchOptions
{
    public IReadOnlyList<int> Concurrencies { get; init; } = [1, 4, 8, 16, 32];
    public int MaxNewTokens { get; init; } = 32;
    public int Rounds { get; init; } = 3;

    /// <summary>Requests per cell: this many per client, at least <see cref="MinRequests"/>.</summary>
    public int RequestsPerClient { get; init; } = 2;
    public int MinRequests { get; init; } = 8;
    public int PromptsPerFamily { get; init; } = 40;

    /// <summary>Cut each prompt to its first N tokens (null: whole), to measure the decode-bound regime.</summary>
    public int? MaxPromptTokens { get; init; }
}

/// <summary>One request's start and the times its tokens arrived (ms on the run's clock).</summary>
internal sealed record RequestTimes(double StartedMs, List<double> TokenMs);
