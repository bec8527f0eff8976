using AscendAio.Engine.Generation;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

/// <summary>
/// Hand-built calibration samples with known answers: the small model is 5x faster, right on code and wrong on
/// qa; the large model is right on both. PLD doubles the large model's speed on qa and halves it on code.
/// </summary>
internal static class SyntheticSamples
{
    public static readonly RouteTarget SmallPlain = new(ModelRole.Small, DecodingStrategy.Plain);
    public static readonly RouteTarget SmallPld = new(ModelRole.Small, PolicyOptions.DefaultPld);
    public static readonly RouteTarget LargePlain = new(ModelRole.Large, DecodingStrategy.Plain);
    public static readonly RouteTarget LargePld = new(ModelRole.Large, PolicyOptions.DefaultPld);

    /// <summary>
    /// 10 code predicted code (H 0.1), 5 code predicted code (H 0.5), 10 qa predicted qa (H 0.1),
    /// 5 qa mispredicted as code (H 0.6). Every request generates 100 tokens.
    /// </summary>
    public static List<CalibrationSample> Mixed()
    {
        var samples = new List<CalibrationSample>();
        Add(samples, 10, "code", "code", 0.1);
        Add(samples, 5, "code", "code", 0.5);
        Add(samples, 10, "qa", "qa", 0.1);
        Add(samples, 5, "qa", "code", 0.6);
        return samples;
    }

    public static void Add(List<CalibrationSample> samples, int count, string trueCategory, string predicted, double entropy, int context = 100)
    {
        for (var i = 0; i < count; i++)
        {
            var code = trueCategory == "code";
            samples.Add(new CalibrationSample
            {
                Id = $"{trueCategory}-{samples.Count}",
                TrueCategory = trueCategory,
                ContextTokens = context,
                Probe = Inputs.ProbeWithEntropy(predicted, entropy) with { TemplateMs = 0.1, PrefillMs = 1.9 },
                DecisionMs = 0,
                ReusePrefillMs = 1,
                Outcomes = new Dictionary<RouteTarget, RunOutcome>
                {
                    [SmallPlain] = Run(code, ms: 100, prefillMs: 10),
                    [SmallPld] = Run(code, ms: 100, prefillMs: 10),
                    [LargePlain] = Run(true, ms: 500, prefillMs: 50),
                    [LargePld] = code ? Run(true, ms: 1000, prefillMs: 50, proposed: 100, accepted: 5) : Run(true, ms: 250, prefillMs: 50, proposed: 100, accepted: 80),
                },
            });
        }
    }

    private static RunOutcome Run(bool correct, double ms, double prefillMs, int proposed = 0, int accepted = 0) => new()
    {
        Correct = correct,
        GeneratedTokens = 100,
        PrefillMs = prefillMs,
        DecodeMs = ms - prefillMs,
        DraftTokensProposed = proposed,
        DraftTokensAccepted = accepted,
    };
}
