namespace AscendAio.Tasks;

/// <summary>How many items each split gets. qa's training size follows from the knowledge base.</summary>
public sealed record SuiteSizes
{
    public int TrainCode { get; init; } = 6000;
    public int TrainMath { get; init; } = 3000;
    public int TrainLong { get; init; } = 200;
    public int TestPerFamily { get; init; } = 150;
    public int CalibrationPerFamily { get; init; } = 150;
    public int ProbePerCategory { get; init; } = 100;
    public int People { get; init; } = 300;
    /// <summary>Long items' filler length in characters (about 1K-2K tokens with the reference tokenizer).</summary>
    public int LongMinChars { get; init; } = 5000;
    public int LongMaxChars { get; init; } = 8500;
    /// <summary>Training long items start shorter so the large model sees every context length.</summary>
    public int LongTrainMinChars { get; init; } = 1000;

    public static SuiteSizes Default { get; } = new();
}
