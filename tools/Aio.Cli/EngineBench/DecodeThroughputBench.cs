using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Tasks;

namespace AscendAio.Cli.EngineBench;

/// <summary>One (model, strategy, suite) cell: greedy generation over the suite's test requests.</summary>
public sealed record DecodeRow(
    string Model,
    string Strategy,
    string Suite,
    int Requests,
    int SkippedForContext,
    int GeneratedTokens,
    double DecodeSeconds,
    int ForwardPasses,
    int DraftForwardPasses,
    int DraftTokensProposed,
    int DraftTokensAccepted)
{
    /// <summary>Σ(generated − 1) ÷ Σ decode time: the prefill's first token excluded, as in GenerationMetrics.</summary>
    public double DecodeTokensPerSecond { get; init; }

    public double AcceptanceRate => DraftTokensProposed > 0 ? (double)DraftTokensAccepted / DraftTokensProposed : double.NaN;
}

/// <summary>A model under test and the strategies to run on it.</summary>
public sealed record DecodeSubject(string Label, LanguageModel Model, string Strategy, LanguageModel? Drafter = null)
{
    public DecodingStrategy Decoding => Strategy switch
    {
        "pld" => new PromptLookupDecoding(),
        "draft" => new DraftSpeculativeDecoding(),
        _ => DecodingStrategy.Plain,
    };
}

/// <summary>
/// Decode tokens/s per model × strategy × task suite: the first <c>requests</c> items of each suite's test split,
/// wrapped in the bundle's generation template, generated greedily. Requests whose prompt does not fit the model are
/// skipped and counted (a prompt beyond the drafter's context runs plain steps: the engine's own fallback).
/// </summary>
public static class DecodeThroughputBench
{
    public static List<DecodeRow> Run(IReadOnlyList<DecodeSubject> subjects, IReadOnlyDictionary<string, IReadOnlyList<TaskItem>> suites,
        int maxNewTokens, Action<string> progress)
    {
        var rows = new List<DecodeRow>();
        foreach (var subject in subjects)
        {
            var options = new GenerationOptions { MaxNewTokens = maxNewTokens, Strategy = subject.Decoding };
            Warm(subject, options);
            foreach (var (suite, items) in suites)
            {
                var row = RunSuite(subject, suite, items, options);
                rows.Add(row);
                progress($"decode {subject.Label,-12} {subject.Strategy,-6} {suite,-5}: {row.DecodeTokensPerSecond,8:F1} tok/s" +
                         (row.DraftTokensProposed > 0 ? $", acceptance {row.AcceptanceRate:P0}" : "") +
                         $" ({row.Requests} requests, {row.GeneratedTokens} tokens{(row.SkippedForContext > 0 ? $", {row.SkippedForContext} skipped" : "")})");
            }
        }
        return rows;
    }

    private static DecodeRow RunSuite(DecodeSubject subject, string suite, IReadOnlyList<TaskItem> items, GenerationOptions options)
    {
        int requests = 0, skipped = 0, generated = 0, decoded = 0, passes = 0, draftPasses = 0, proposed = 0, accepted = 0;
        double decodeMs = 0;
        // Only the generating model's context limits a request; past the drafter's, the engine falls back to plain steps.
        var limit = subject.Model.ContextLimit;
        foreach (var item in items)
        {
            var prompt = Prompt(subject.Model, item.Request);
            if (prompt.Length + 1 > limit)
            {
                skipped++;
                continue;
            }
            var result = Generator.Generate(subject.Model, prompt, options, subject.Drafter);
            var m = result.Metrics;
            requests++;
            generated += m.GeneratedTokens;
            decoded += Math.Max(0, m.GeneratedTokens - 1);
            decodeMs += m.DecodeMs;
            passes += m.ForwardPasses;
            draftPasses += m.DraftForwardPasses;
            proposed += m.DraftTokensProposed;
            accepted += m.DraftTokensAccepted;
        }
        return new DecodeRow(subject.Label, subject.Strategy, suite, requests, skipped, generated, decodeMs / 1000, passes, draftPasses, proposed, accepted)
        {
            DecodeTokensPerSecond = decodeMs > 0 ? decoded / (decodeMs / 1000) : 0,
        };
    }

    private static void Warm(DecodeSubject subject, GenerationOptions options)
    {
        var prompt = Prompt(subject.Model, "warm up: count from one to ten.");
        Generator.Generate(subject.Model, prompt, options with { MaxNewTokens = 8 }, subject.Drafter);
    }

    private static int[] Prompt(LanguageModel model, string request) =>
        model.Tokenizer.Encode(ModelBundle.Apply(model.Manifest.Templates.Generation, request));
}
