using AscendAio.Engine.Generation;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;

namespace AscendAio.Evaluation;

/// <summary>
/// The paper's §5.2 error penalty on each scenario's mix, from this run's numbers: a request of true category c is
/// predicted ĉ with the probe's measured P(ĉ|c) and served on the target the aio policy's rules give ĉ; its accuracy,
/// tokens and latency are the per-task cells' means for category c on that target (e.g. code on small, plain = the
/// static-small cell of the code workload). TPS is expected tokens over expected time, the probe's mean overhead added
/// per request; the oracle has P(ĉ|c) = [ĉ = c] and no probe. A slice of long prompts reads the probe's confusion on
/// long prompts when it was measured, the short one otherwise. Like router/Calibration's ErrorPenaltyAnalysis, it
/// ignores τ and the context rule: it isolates what misclassification costs.
/// </summary>
public static class ErrorPenaltyEstimate
{
    public static IReadOnlyList<ErrorPenaltyRow> PerScenario(BenchResults results, ConfusionMatrix confusion, PolicyOptions policy,
        ConfusionMatrix? longConfusion = null)
    {
        var rows = new List<ErrorPenaltyRow>();
        var probeMs = results.Overhead is { } o ? o.TemplateMs + o.ProbePrefillMs + o.DecisionMs : 0;
        foreach (var scenario in Workload.Scenarios.Where(w => results.Runs.Any(r => r.Workload == w.Name)))
        {
            var withProbe = Expected(results, confusion, longConfusion, policy, scenario, probe: true, probeMs);
            var oracle = Expected(results, confusion, longConfusion, policy, scenario, probe: false, 0);
            if (withProbe is { } p && oracle is { } q)
                rows.Add(new ErrorPenaltyRow(scenario.Name, p.Accuracy, q.Accuracy, p.Tps, q.Tps));
        }
        return rows;
    }

    private static (double Accuracy, double Tps)? Expected(BenchResults results, ConfusionMatrix shortConfusion, ConfusionMatrix? longConfusion,
        PolicyOptions policy, Workload scenario, bool probe, double probeMs)
    {
        double accuracy = 0, tokens = 0, ms = 0, shares = scenario.Slices.Sum(s => s.Share);
        foreach (var slice in scenario.Slices)
        {
            var truth = slice.Category ?? slice.Family;
            var confusion = slice.Family == TaskFamilies.Long && longConfusion is not null ? longConfusion : shortConfusion;
            var row = IndexOf(confusion, truth);
            if (row < 0)
                return null;
            var rowTotal = (double)confusion.Counts[row].Sum();
            for (var predicted = 0; predicted < confusion.Labels.Count; predicted++)
            {
                var p = probe ? (rowTotal > 0 ? confusion.Counts[row][predicted] / rowTotal : 0) : predicted == row ? 1 : 0;
                if (p == 0)
                    continue;
                var config = ConfigOf(policy, confusion.Labels[predicted]);
                var outcomes = results.Runs.FirstOrDefault(r => r.Config == config && r.Workload == slice.Family)?.PerRequest?
                    .Where(x => x.Category == truth).ToList();
                if (outcomes is not { Count: > 0 })
                    return null;
                var weight = slice.Share / shares * p;
                accuracy += weight * outcomes.Average(x => x.Correct ? 1.0 : 0.0);
                tokens += weight * outcomes.Average(x => x.Tokens);
                ms += weight * (outcomes.Average(x => x.LatencyMs) + probeMs);
            }
        }
        return (accuracy, ms > 0 ? tokens / (ms / 1000) : 0);
    }

    private static int IndexOf(ConfusionMatrix confusion, string label)
    {
        for (var i = 0; i < confusion.Labels.Count; i++)
        {
            if (confusion.Labels[i] == label)
                return i;
        }
        return -1;
    }

    /// <summary>The static cell that serves a request as the rules serve category <paramref name="category"/>.</summary>
    public static string ConfigOf(PolicyOptions policy, string category)
    {
        var (model, strategy) = policy.Categories.TryGetValue(category, out var rule)
            ? (rule.Model, rule.Strategy)
            : (policy.FallbackModel, policy.FallbackStrategy ?? DecodingStrategy.Plain);
        var small = model.IsSmall();
        return strategy switch
        {
            PromptLookupDecoding => small ? "small-pld" : "large-pld",
            DraftSpeculativeDecoding => "draft-spec",
            _ => small ? "static-small" : "static-large",
        };
    }
}
