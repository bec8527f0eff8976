using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Tasks;

namespace AscendAio.Evaluation.EngineBench;

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
/// wrapped in the bundle's generation template, generated greedily. Each request runs under every strategy back to
/// back before the next request, so a slow spell on a shared machine lands on all strategies alike and the ratios
/// between rows hold even when absolute numbers drift. Requests whose prompt does not fit the model are skipped and
/// counted (a prompt beyond the drafter's context runs plain steps: the engine's own fallback).
/// </summary>
public static class DecodeThroughputBench
{
    public static List<DecodeRow> Run(IReadOnlyList<DecodeSubject> subjects, IReadOnlyDictionary<string, IReadOnlyList<TaskItem>> suites,
        int maxNewTokens, Action<string> progress)
    {
        var options = subjects.Select(s => new GenerationOptions { MaxNewTokens = maxNewTokens, Strategy = s.Decoding }).ToArray();
        for (var i = 0; i < subjects.Count; i++)
            Warm(subjects[i], options[i]);
        var rows = new List<DecodeRow>();
        foreach (var (suite, items) in suites)
        {
            var totals = subjects.Select(_ => new Totals()).ToArray();
            foreach (var item in items)
            {
                for (var i = 0; i < subjects.Count; i++)
                    totals[i].Add(subjects[i], item.Request, options[i]);
            }
            for (var i = 0; i < subjects.Count; i++)
            {
                var row = totals[i].Row(subjects[i], suite);
                rows.Add(row);
                progress($"decode {subjects[i].Label,-6} {subjects[i].Strategy,-6} {suite,-5}: {row.DecodeTokensPerSecond,8:F1} tok/s" +
                         (row.DraftTokensProposed > 0 ? $", acceptance {row.AcceptanceRate:P0}" : "") +
                         $" ({row.Requests} requests, {row.GeneratedTokens} tokens{(row.SkippedForContext > 0 ? $", {row.SkippedForContext} skipped" : "")})");
            }
        }
        return rows;
    }

    /// <summary>Sums over the requests of one (subject, suite) cell.</summary>
    private sealed class Totals
    {
        private int _requests, _skipped, _generated, _decoded, _passes, _draftPasses, _proposed, _accepted;
        private double _decodeMs;

        public void Add(DecodeSubject subject, string request, GenerationOptions options)
        {
            var prompt = Prompt(subject.Model, request);
            // Only the generating model's context limits a request; past the drafter's, the engine falls back to plain steps.
            if (prompt.Length + 1 > subject.Model.ContextLimit)
            {
                _skipped++;
                return;
            }
            var m = Generator.Generate(subject.Model, prompt, options, subject.Drafter).Metrics;
            _requests++;
            _generated += m.GeneratedTokens;
            _decoded += Math.Max(0, m.GeneratedTokens - 1);
            _decodeMs += m.DecodeMs;
            _passes += m.ForwardPasses;
            _draftPasses += m.DraftForwardPasses;
            _proposed += m.DraftTokensProposed;
            _accepted += m.DraftTokensAccepted;
        }

        public DecodeRow Row(DecodeSubject subject, string suite) =>
            new(subject.Label, subject.Strategy, suite, _requests, _skipped, _generated, _decodeMs / 1000, _passes, _draftPasses, _proposed, _accepted)
            {
                DecodeTokensPerSecond = _decodeMs > 0 ? _decoded / (_decodeMs / 1000) : 0,
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
