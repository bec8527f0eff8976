using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Prompts;
using AscendAio.Evaluation.Statistics;
using AscendAio.Router;
using AscendAio.Router.Adaptive;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;
using AscendAio.Tasks;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Evaluation.Calibration;

// tools/Evaluation has a ConfusionMatrix of its own (the bench's results); calibration uses the router's.
using ConfusionMatrix = AscendAio.Router.Calibration.ConfusionMatrix;

/// <summary>The objective of the τ search; a floor left out is derived from static-large's replayed score.</summary>
public sealed record ObjectiveChoice(ObjectiveKind Kind, double? Floor = null, double AccuracyMargin = 0.01)
{
    /// <summary>
    /// Throughput: the most tokens/s at an accuracy no lower than static-large's minus the margin (or the floor given);
    /// accuracy: the best accuracy at static-large's tokens/s (or the floor given).
    /// </summary>
    public CalibrationObjective Resolve(ReplayScore staticLarge) => Kind == ObjectiveKind.ThroughputAtAccuracyFloor
        ? CalibrationObjective.ThroughputAtAccuracyFloor(Floor ?? staticLarge.Accuracy - AccuracyMargin)
        : CalibrationObjective.AccuracyAtThroughputFloor(Floor ?? staticLarge.TokensPerSecond);
}

/// <summary>What `aio calibrate` measures and decides with.</summary>
public sealed record CalibrationSettings
{
    /// <summary>The floor: fewer timed runs per route cannot tell a gain from noise.</summary>
    public const int MinimumRepetitions = 5;

    public PolicyOptions BasePolicy { get; init; } = PolicyOptions.Default;

    public ObjectiveChoice Objective { get; init; } = new(ObjectiveKind.ThroughputAtAccuracyFloor);

    /// <summary>New-token limit of every request; null = the benchmark's per-category limits (<see cref="BenchOptions.MaxTokensFor"/>).</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary>Timed runs per route and request. Six give the median ratio's [min, max] a coverage of 96.9 % (five: 93.8 %).</summary>
    public int Repetitions { get; init; } = 6;

    /// <summary>Seeds the shuffled run order and the random baseline's replay.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Also replay online PLD tracking (<see cref="AdaptivePldReplay"/>).</summary>
    public bool Adaptive { get; init; }

    public Func<string, int> MaxNewTokensFor => new BenchOptions { MaxTokens = MaxNewTokens }.MaxTokensFor;
}

/// <summary>
/// Calibration of the aio policy on a model pair: measures every request on every route target in interleaved
/// repetitions, switches PLD on per slot only on a significant gain (<see cref="StrategySwitch"/>), grid-searches τ
/// for the objective over the measured runs, and replays the baselines, the oracle and the error-penalty analysis;
/// then the probe on held-out requests and, optionally, the calibrated policy end to end through the router.
/// </summary>
public sealed class CalibrationStudy(RouterModels models, CalibrationSettings settings)
{
    /// <summary>The routes every request is timed on: both models, plain and with the base policy's PLD.</summary>
    public IReadOnlyList<RouteTarget> Targets { get; } =
    [
        new(ModelRole.Small, DecodingStrategy.Plain), new(ModelRole.Small, settings.BasePolicy.Pld),
        new(ModelRole.Large, DecodingStrategy.Plain), new(ModelRole.Large, settings.BasePolicy.Pld),
    ];

    /// <param name="progress">Called after each request with (measured, total).</param>
    public (List<CalibrationSample> Samples, MeasurementSummary Summary) Measure(IReadOnlyList<TaskItem> items, TaskScorer scorer,
        Action<int, int>? progress = null, CancellationToken cancellation = default)
    {
        if (settings.Repetitions < CalibrationSettings.MinimumRepetitions)
            throw new InvalidOperationException($"calibration times every route at least {CalibrationSettings.MinimumRepetitions} times, got {settings.Repetitions}");
        var sampler = new CalibrationSampler(models, Targets, new CalibrationSamplerOptions
        {
            MaxNewTokensFor = settings.MaxNewTokensFor,
            Repetitions = settings.Repetitions,
            Seed = settings.Seed,
            InstructProbe = settings.BasePolicy.InstructProbe,
        });
        var started = Stopwatch.GetTimestamp();
        var samples = new List<CalibrationSample>();
        foreach (var item in items)
        {
            cancellation.ThrowIfCancellationRequested();
            samples.Add(sampler.Measure(item.Id, item.Request, item.Category, text => scorer.CanScore(item) && scorer.Score(item, text), cancellation));
            progress?.Invoke(samples.Count, items.Count);
        }
        var limits = settings.MaxNewTokens is { } n ? $"{n} new tokens" : string.Join(", ", items.Select(i => i.Category).Distinct().Order(StringComparer.Ordinal).Select(c => $"{c} {settings.MaxNewTokensFor(c)}")) + " new tokens";
        var summary = new MeasurementSummary(items.GroupBy(i => i.Family).ToDictionary(g => g.Key, g => g.Count()), Targets, settings.Repetitions, limits,
            sampler.ReuseMismatches, sampler.RepetitionMismatches, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return (samples, summary);
    }

    /// <summary>Decides and replays on <paramref name="samples"/>; probes <paramref name="holdout"/>; runs <paramref name="test"/> end to end.</summary>
    public CalibrationReport Analyse(IReadOnlyList<CalibrationSample> samples, MeasurementSummary? measurement, IReadOnlyList<TaskItem> holdout,
        IReadOnlyList<TaskItem> test, TaskScorer scorer)
    {
        var basePolicy = settings.BasePolicy;
        // The probe's categories: the bundle's category tokens, or an instruct model's labels (refused here if they collide).
        var probe = new IntentProbe(models.Small, basePolicy.InstructProbe);
        var categories = probe.Categories.OrderBy(c => Array.IndexOf(TaskFamilies.Categories, c)).ToArray();
        var confusion = ConfusionMatrix.Of(categories, samples.Select(s => (s.TrueCategory, s.PredictedCategory)));

        // Strategies first, from significant gains only; then τ for the objective under those strategies.
        var verdicts = RouteSpeeds.DecideStrategies(samples, basePolicy);
        var switched = StrategySwitch.Apply(basePolicy, verdicts, basePolicy.Pld);
        var objective = settings.Objective.Resolve(PolicyReplay.Run(RoutingPolicies.Create("static-large", basePolicy), samples));
        var search = TauSearch.Run(samples, switched, objective);
        var tuned = search.Best.Options with { RandomSmallShare = Math.Round(search.Best.Score.SmallShare, 4) };

        var replays = Baseline.All.Select(b =>
        {
            var options = b.Options == BaselineOptions.Base ? basePolicy : tuned;
            return new ReplayRow(b, PolicyReplay.Run(RoutingPolicies.Create(b.Policy, options), samples, new ReplayOptions { Seed = options.Seed }));
        }).ToList();

        ConfusionMatrix? held = null;
        ProbeCost? heldCost = null;
        if (holdout.Count > 0)
        {
            var results = holdout.Select(i =>
            {
                using var run = probe.Run(RequestPrompt.User(i.Request));
                return (i.Category, run.Result);
            }).ToList();
            held = ConfusionMatrix.Of(categories, results.Select(r => (r.Category, r.Result.Category)));
            heldCost = CostOf(results.Select(r => r.Result).ToList(), null);
        }

        return new CalibrationReport
        {
            Samples = samples.Count,
            Measurement = measurement,
            Confusion = confusion,
            ProbeCost = CostOf(samples.Select(s => s.Probe).ToList(), BenchStatistics.Median(samples.Select(s => s.DecisionMs))),
            Reuse = ReuseOf(samples),
            Speeds = RouteSpeeds.ByCategory(samples),
            Strategies = verdicts,
            Search = search,
            Policy = tuned,
            Replays = replays,
            Oracle = PolicyReplay.Run(RoutingPolicies.Create(RoutingPolicies.Oracle, tuned), samples),
            Penalty = ErrorPenaltyAnalysis.Analyse(samples, tuned),
            Holdout = held,
            HoldoutProbeCost = heldCost,
            EndToEnd = test.Count > 0 ? EndToEndComparison.Run(models, tuned, test, scorer, settings.MaxNewTokensFor) : null,
            Adaptive = settings.Adaptive ? AdaptiveOf(samples, tuned) : null,
        };
    }

    private static ProbeCost CostOf(IReadOnlyList<ProbeResult> probes, double? decisionMedianMs) => new(probes.Count,
        probes.Average(p => p.TemplateMs), BenchStatistics.Median(probes.Select(p => p.TemplateMs)),
        probes.Average(p => p.PrefillMs), BenchStatistics.Median(probes.Select(p => p.PrefillMs)),
        probes.Average(p => p.ProbeTokens), decisionMedianMs, probes.Count(p => p.Truncated), probes.Average(p => p.Entropy));

    private static ReuseSummary? ReuseOf(IReadOnlyList<CalibrationSample> samples)
    {
        var smallPlain = new RouteTarget(ModelRole.Small, DecodingStrategy.Plain);
        var reusable = samples.Where(s => s.ReusePrefillMs is not null && s.Outcomes.ContainsKey(smallPlain)).ToList();
        return reusable.Count == 0 ? null : new ReuseSummary(reusable.Count, reusable.Average(s => s.Outcomes[smallPlain].PrefillMs),
            reusable.Average(s => s.ReusePrefillMs!.Value), reusable.Average(s => s.ContextTokens));
    }

    private static AdaptiveSummary AdaptiveOf(IReadOnlyList<CalibrationSample> samples, PolicyOptions tuned)
    {
        // PLD on for every category on its model; the tracker keeps it only where it measures faster than plain.
        var everywhere = tuned with { Categories = tuned.Categories.ToDictionary(p => p.Key, p => p.Value with { Strategy = tuned.Pld }) };
        var report = AdaptivePldReplay.Run(RoutingPolicies.Create(RoutingPolicies.Aio, everywhere), samples, new AdaptivePldOptions());
        return new AdaptiveSummary(report, PolicyReplay.Run(RoutingPolicies.Create("aio-no-pld-switch", everywhere), samples));
    }
}
