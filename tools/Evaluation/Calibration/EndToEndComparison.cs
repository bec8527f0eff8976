using AscendAio.Engine.Generation;
using AscendAio.Engine.Prompts;
using AscendAio.Evaluation.Statistics;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Evaluation.Calibration;

/// <summary>Mean and median of one part of the per-request cost, ms.</summary>
public readonly record struct MsSummary(double Mean, double Median);

/// <summary>One policy run end to end through the router on the test requests.</summary>
public sealed record EndToEndRow(string Policy, double Accuracy, double TokensPerSecond, double SmallShare, double MeanGenerationMs, double MeanReusedPrefixTokens,
    MsSummary Template, MsSummary ProbePrefill, MsSummary Decision, MsSummary ModelSwitch, MsSummary Overhead);

/// <summary>
/// The calibrated policy, the oracle and static-large through the router on the same test requests, the policies
/// taking turns on each request so drift in the machine's load hits them alike.
/// </summary>
public static class EndToEndComparison
{
    public static readonly string[] Policies = [RoutingPolicies.Aio, RoutingPolicies.Oracle, "static-large"];

    public static IReadOnlyList<EndToEndRow> Run(RouterModels models, PolicyOptions tuned, IReadOnlyList<TaskItem> items, TaskScorer scorer, Func<string, int> maxNewTokensFor)
    {
        var routers = Policies.Select(n => new AioRouter(models, RoutingPolicies.Create(n, tuned))).ToArray();
        var runs = Policies.Select(_ => new List<(TaskItem Item, RoutedResult Result)>()).ToArray();
        try
        {
            foreach (var router in routers)
            {
                foreach (var warm in items.Take(3)) // first calls pay JIT compilation; keep them out of the timings
                    router.Generate(RequestPrompt.User(warm.Request), new GenerationOptions { MaxNewTokens = 2 }, warm.Category);
            }
            foreach (var item in items)
            {
                var options = new GenerationOptions { MaxNewTokens = maxNewTokensFor(item.Category) };
                for (var p = 0; p < routers.Length; p++)
                    runs[p].Add((item, routers[p].Generate(RequestPrompt.User(item.Request), options, item.Category)));
            }
        }
        finally
        {
            foreach (var router in routers)
                router.Dispose();
        }
        return Policies.Select((name, p) => Row(name, runs[p], scorer)).ToList();
    }

    private static EndToEndRow Row(string name, List<(TaskItem Item, RoutedResult Result)> runs, TaskScorer scorer)
    {
        var t = runs.Select(x => x.Result.Timings).ToList();
        MsSummary Of(Func<RequestTimings, double> ms) => new(t.Average(ms), BenchStatistics.Median(t.Select(ms)));
        var tokens = runs.Sum(x => x.Result.Result.Metrics.GeneratedTokens);
        var seconds = runs.Sum(x => x.Result.Timings.OverheadMs + x.Result.Timings.GenerationMs) / 1000;
        return new EndToEndRow(name,
            runs.Average(x => scorer.CanScore(x.Item) && scorer.Score(x.Item, x.Result.Result.Text) ? 1.0 : 0.0),
            seconds > 0 ? tokens / seconds : 0,
            runs.Average(x => x.Result.Decision.Model.IsSmall() ? 1.0 : 0),
            t.Average(x => x.GenerationMs),
            runs.Average(x => x.Result.ReusedPrefixTokens),
            Of(x => x.TemplateMs), Of(x => x.ProbePrefillMs), Of(x => x.DecisionMs), Of(x => x.ModelSwitchMs), Of(x => x.OverheadMs));
    }
}
