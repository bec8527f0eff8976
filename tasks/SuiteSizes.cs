namespace AscendAio.Tasks;

/// <summary>How many items each split gets. qa's training size follows from the knowledge base.</summary>
public sealed record SuiteSizes
{
    public int TrainCode { get; init; } = 6000;
    public int TrainMath { get; init; } = 6000;
    /// <summary>One-step arithmetic drills ("Work out 47 + 38.") added to math's training split only.</summary>
    public int TrainMathDrills { get; init; } = 4000;
    public int TrainLong { get; init; } = 600;
    /// <summary>Multi-lookup drills (<see cref="Families.LongFamily.Drill"/>) added to long's training split only.</summary>
    public int TrainLongDrills { get; init; } = 1600;
    public int TestPerFamily { get; init; } = 150;
    public int CalibrationPerFamily { get; init; } = 150;
    public int ProbePerCategory { get; init; } = 100;
    public int People { get; init; } = 200;
    /// <summary>Long items' filler length in characters (about 1K-2K tokens with the reference tokenizer).</summary>
    public int LongMinChars { get; init; } = 5000;
    public int LongMaxChars { get; init; } = 8500;
    /// <summary>
    /// Training long items start much shorter (about 50 tokens) and their lengths are log-uniform up to the maximum:
    /// the lookup is learnt on short contexts, where it is cheap, and the long tail trains every position the test
    /// items use.
    /// </summary>
    public int LongTrainMinChars { get; init; } = 200;

    public static SuiteSizes Default { get; } = new();
}
