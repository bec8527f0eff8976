using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;
using AscendAio.TestSupport;

namespace AscendAio.Evaluation.Tests;

/// <summary>`aio eval`'s per-item outcomes (--items) agree with the score it prints.</summary>
public sealed class SuiteEvaluatorTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("suite-evaluator");

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public void Evaluate_ReportsEveryItemInOrder_WithVerdictsThatAddUpToTheScore()
    {
        var dir = TinyBundle.Export(_root);
        var suites = new SuiteGenerator(1).GenerateAll();
        // Three short code requests, then two long ones that cannot fit a 256-token context.
        var items = suites[(TaskFamilies.Code, Splits.Test)].Take(3).Concat(suites[(TaskFamilies.Long, Splits.Test)].Take(2)).ToList();
        using var device = Device.Open();
        using var model = LanguageModel.Load(device, ModelBundle.Load(dir));

        var outcomes = new List<ItemOutcome>();
        var score = SuiteEvaluator.Evaluate(model, "mixed", items, _ => 8, onItem: outcomes.Add);

        Assert.Equal(items.Select(i => i.Id), outcomes.Select(o => o.Id));
        var scorer = new TaskScorer();
        foreach (var (item, outcome) in items.Zip(outcomes))
        {
            if (item.Family == TaskFamilies.Long)
            {
                Assert.Null(outcome.Completion);
                Assert.False(outcome.Correct);
                Assert.Contains("context", outcome.Error, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                Assert.NotNull(outcome.Completion);
                Assert.Null(outcome.Error);
                Assert.Equal(scorer.Score(item, outcome.Completion), outcome.Correct);
            }
        }
        Assert.Equal(2, score.Errors);
        Assert.Equal(outcomes.Count(o => o.Correct) / (double)items.Count, score.Accuracy);
    }
}
