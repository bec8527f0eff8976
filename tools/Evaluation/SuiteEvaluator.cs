using System.Diagnostics;
using System.Text.Json.Serialization;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Router.Probing;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Evaluation;

/// <summary>`aio eval`'s result: one model on one suite.</summary>
public sealed record SuiteScore(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("tps")] double Tps,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("confusion")] ConfusionMatrix? Confusion = null);

/// <summary>
/// One model on one held-out test split, greedy: accuracy by the suite's scorer and tokens per second
/// (generated tokens ÷ generation wall time, prefill included). The probe suite scores the category the
/// probe predicts; its TPS is probes per second. <c>onItem</c>, when given, sees every generation item's
/// <see cref="ItemOutcome"/> in order.
/// </summary>
public static class SuiteEvaluator
{
    public static SuiteScore Evaluate(LanguageModel model, string suite, IReadOnlyList<TaskItem> items, Func<string, int> maxTokensFor,
        Action<int, int>? progress = null, Action<ItemOutcome>? onItem = null)
    {
        if (suite == TaskFamilies.Probe)
            return EvaluateProbe(model, items, progress);
        var scorer = new TaskScorer();
        int correct = 0, errors = 0;
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            // One user turn: through the chat template where the bundle has one, else its generation template.
            var prompt = model.Bundle.EncodePrompt(RequestPrompt.User(item.Request));
            try
            {
                var result = Generator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = maxTokensFor(item.Category) });
                tokens += result.Tokens.Length;
                bool ok = scorer.Score(item, result.Text);
                if (ok)
                    correct++;
                onItem?.Invoke(new ItemOutcome(item.Id, result.Text, ok));
            }
            catch (ContextOverflowException e)
            {
                errors++; // the request does not fit this model: scored wrong
                onItem?.Invoke(new ItemOutcome(item.Id, null, false, e.Message));
            }
            progress?.Invoke(i + 1, items.Count);
        }
        return new SuiteScore(model.Name, suite, items.Count, items.Count == 0 ? 0 : (double)correct / items.Count,
            tokens / Math.Max(1e-9, clock.Elapsed.TotalSeconds), errors);
    }

    private static SuiteScore EvaluateProbe(LanguageModel model, IReadOnlyList<TaskItem> items, Action<int, int>? progress)
    {
        var clock = Stopwatch.StartNew();
        var confusion = ProbeConfusion(model, items, progress);
        return new SuiteScore(model.Name, TaskFamilies.Probe, items.Count, confusion.Accuracy, items.Count / Math.Max(1e-9, clock.Elapsed.TotalSeconds), 0, confusion);
    }

    /// <summary>The probe's category against the true one for each item: rows true, columns predicted.</summary>
    public static ConfusionMatrix ProbeConfusion(LanguageModel model, IReadOnlyList<TaskItem> items, Action<int, int>? progress = null)
    {
        var probe = new IntentProbe(model);
        var labels = probe.Categories.ToList();
        var counts = labels.Select(_ => new int[labels.Count]).ToArray();
        for (var i = 0; i < items.Count; i++)
        {
            using var run = probe.Run(RequestPrompt.User(items[i].Request));
            int truth = labels.IndexOf(items[i].Category), predicted = labels.IndexOf(run.Result.Category);
            if (truth >= 0 && predicted >= 0)
                counts[truth][predicted]++;
            progress?.Invoke(i + 1, items.Count);
        }
        return new ConfusionMatrix(labels, counts);
    }
}
