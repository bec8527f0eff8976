using System.Globalization;

namespace AscendAio.Router.Calibration;

public enum ObjectiveKind
{
    /// <summary>Maximise accuracy subject to tokens/s ≥ the floor.</summary>
    AccuracyAtThroughputFloor,

    /// <summary>Maximise tokens/s subject to accuracy ≥ the floor.</summary>
    ThroughputAtAccuracyFloor,
}

/// <summary>What τ calibration maximises, and under which floor.</summary>
public sealed record CalibrationObjective(ObjectiveKind Kind, double Floor)
{
    public static CalibrationObjective AccuracyAtThroughputFloor(double minTokensPerSecond) => new(ObjectiveKind.AccuracyAtThroughputFloor, minTokensPerSecond);

    public static CalibrationObjective ThroughputAtAccuracyFloor(double minAccuracy) => new(ObjectiveKind.ThroughputAtAccuracyFloor, minAccuracy);

    public bool IsFeasible(ReplayScore s) => Kind == ObjectiveKind.AccuracyAtThroughputFloor ? s.TokensPerSecond >= Floor : s.Accuracy >= Floor;

    /// <summary>The maximised quantity.</summary>
    public double Value(ReplayScore s) => Kind == ObjectiveKind.AccuracyAtThroughputFloor ? s.Accuracy : s.TokensPerSecond;

    /// <summary>The floored quantity (also the tie-breaker, and the measure of "closest" when nothing is feasible).</summary>
    public double Constrained(ReplayScore s) => Kind == ObjectiveKind.AccuracyAtThroughputFloor ? s.TokensPerSecond : s.Accuracy;

    public override string ToString() => Kind == ObjectiveKind.AccuracyAtThroughputFloor
        ? string.Create(CultureInfo.InvariantCulture, $"max accuracy s.t. tokens/s ≥ {Floor:F1}")
        : string.Create(CultureInfo.InvariantCulture, $"max tokens/s s.t. accuracy ≥ {Floor:P1}");
}
