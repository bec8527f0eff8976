using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Router;

namespace AscendAio.Evaluation.Calibration;

// tools/Evaluation has a ConfusionMatrix of its own (the bench's results); calibration uses the router's.
using ConfusionMatrix = AscendAio.Router.Calibration.ConfusionMatrix;

/// <summary>A <see cref="CalibrationReport"/> as JSON: the report document (`aio calibrate --json FILE`) and the record kept in the policy file.</summary>
public static class CalibrationReportJson
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The policy file's "calibration" record: how τ and the strategies were chosen, and what they scored.</summary>
    public static JsonObject PolicyRecord(CalibrationReport r)
    {
        var best = r.Search.Best;
        return new JsonObject
        {
            ["objective"] = r.Search.Objective.ToString(),
            ["feasible"] = r.Search.Feasible,
            ["samples"] = r.Samples,
            ["repetitions"] = r.Measurement?.Repetitions,
            ["tau"] = double.IsInfinity(best.Tau) ? "inf" : best.Tau,
            ["accuracy"] = Math.Round(best.Score.Accuracy, 4),
            ["tokens_per_second"] = Math.Round(best.Score.TokensPerSecond, 2),
            ["small_share"] = Math.Round(best.Score.SmallShare, 4),
            ["oracle_accuracy"] = Math.Round(r.Oracle.Accuracy, 4),
            ["oracle_tokens_per_second"] = Math.Round(r.Oracle.TokensPerSecond, 2),
            ["probe_accuracy"] = Math.Round(r.Confusion.Accuracy, 4),
            ["strategies"] = new JsonArray(r.Strategies.Select(v => (JsonNode)new JsonObject
            {
                ["category"] = v.Slot.Category,
                ["model"] = v.Slot.Model.RoleName(),
                ["on_fallback"] = v.Slot.OnFallback,
                ["pld"] = v.On,
                ["pld_tps_ratio"] = v.Gain is { } g ? Math.Round(g.Ratio, 4) : null,
                ["interval"] = v.Gain is { } h ? new JsonArray(Math.Round(h.Low, 4), Math.Round(h.High, 4)) : null,
                ["confidence"] = v.Gain is { } c ? Math.Round(c.Confidence, 4) : null,
            }).ToArray()),
        };
    }

    /// <summary>The whole report.</summary>
    public static JsonObject Report(CalibrationReport r)
    {
        var report = new JsonObject();
        if (r.Measurement is { } m)
        {
            report["measurement"] = JsonSerializer.SerializeToNode(new
            {
                requests_by_family = m.RequestsByFamily, targets = m.Targets.Select(t => t.ToString()), repetitions = m.Repetitions, token_limits = m.TokenLimits,
                reuse_mismatches = m.ReuseMismatches, repetition_mismatches = m.RepetitionMismatches, seconds = Math.Round(m.Seconds, 1),
            });
        }
        if (r.Reuse is { } u)
            report["reuse"] = JsonSerializer.SerializeToNode(new { requests = u.Requests, fresh_prefill_ms = u.FreshPrefillMs, reused_prefill_ms = u.ReusedPrefillMs });
        report["route_speeds"] = JsonSerializer.SerializeToNode(r.Speeds.Select(s => new
        {
            category = s.Category, target = s.Target.ToString(), requests = s.Requests, repetitions = s.Repetitions, tokens_per_second = s.Tps,
        }));
        report["strategies"] = JsonSerializer.SerializeToNode(r.Strategies.Select(v => new
        {
            slot = v.Slot.ToString(), pld = v.On, overrides_paper = v.OverridesPaper, reason = v.Reason,
            gain = v.Gain is { } g ? new { ratio = g.Ratio, low = g.Low, high = g.High, confidence = g.Confidence, repetitions = g.Repetitions, requests = g.Requests } : null,
        }));
        report["calibration"] = PolicyRecord(r);
        report["replays"] = new JsonObject(r.Replays.Select(row => KeyValuePair.Create(row.Baseline.Label, JsonSerializer.SerializeToNode(new
        {
            row.Score.Accuracy, row.Score.TokensPerSecond, row.Score.SmallShare, row.Score.MeanOverheadMs,
        }))));
        report["error_penalty"] = JsonSerializer.SerializeToNode(new
        {
            expected_accuracy = r.Penalty.UnderConfusion.Accuracy, expected_tokens_per_second = r.Penalty.UnderConfusion.TokensPerSecond,
            oracle_accuracy = r.Penalty.Oracle.Accuracy, oracle_tokens_per_second = r.Penalty.Oracle.TokensPerSecond,
            accuracy_penalty = r.Penalty.AccuracyPenalty, throughput_penalty = r.Penalty.ThroughputPenalty,
        });
        if (r.Adaptive is { } a)
        {
            report["adaptive_pld"] = JsonSerializer.SerializeToNode(new
            {
                pld_always_tokens_per_second = a.Report.Static.TokensPerSecond, plain_always_tokens_per_second = a.PlainEverywhere.TokensPerSecond,
                adaptive_tokens_per_second = a.Report.Adaptive.TokensPerSecond, plain_runs = a.Report.PlainRuns,
                arms = a.Report.Arms.Select(x => new { x.Category, model = x.Model.RoleName(), x.ContextBucket, x.PldMsPerToken, x.PlainMsPerToken, x.Acceptance, x.PldEnabled }),
            });
        }
        if (r.Holdout is { } held)
        {
            report["holdout_probe_accuracy"] = held.Accuracy;
            report["holdout_confusion"] = JsonSerializer.SerializeToNode(held.Categories.ToDictionary(t => t, t => held.Categories.ToDictionary(c => c, c => held[t, c])));
        }
        if (r.EndToEnd is { } rows)
        {
            report["end_to_end"] = new JsonObject(rows.Select(e => KeyValuePair.Create(e.Policy, JsonSerializer.SerializeToNode(new
            {
                accuracy = e.Accuracy, tokens_per_second = e.TokensPerSecond, mean_generation_ms = e.MeanGenerationMs,
                template_ms = e.Template.Mean, probe_prefill_ms = e.ProbePrefill.Mean, decision_ms = e.Decision.Mean, model_switch_ms = e.ModelSwitch.Mean,
            }))));
        }
        return report;
    }
}
