namespace AscendAio.Tasks;

/// <summary>How many items each split gets. qa's training size follows from the knowledge base.</summary>
public sealed record SuiteSizes
{
    public int TrainCode { get; init; } = 6000;
    public int TrainMath { get; init; } = 6000;
    /// <summary>One-step arithmetic drills ("Work out 47 + 38.") added to math's training split only.</summary>
    public int TrainMathDrills { get; init; } = 4000;
    public int TrainLong { get; init; } = 800;
    /// <summary>Each family's held-out test items drawn before the other splits: the test split the shipped pair was trained beside.</summary>
    public int TestPerFamily { get; init; } = 150;
    /// <summary>
    /// Held-out items appended to the code, qa and math test splits after every other split (probe included) is
    /// drawn, and excluded from all of them: the shipped pair's splits stay byte-identical (its training items were
    /// drawn with no extension), and no extension item is a training item.
    /// </summary>
    public int TestExtensionPerFamily { get; init; } = 150;
    /// <summary>
    /// The long test split is extended the same way until it holds this many items of each category (long code, long
    /// locker lookup); 0 = no extension.
    /// </summary>
    public int LongTestPerCategory { get; init; } = 300;
    public int CalibrationPerFamily { get; init; } = 150;
    public int ProbePerCategory { get; init; } = 100;
    public int People { get; init; } = 400;
    /// <summary>Long items' filler length in characters (about 1K-2K tokens with the reference tokenizer).</summary>
    public int LongMinChars { get; init; } = 5000;
    public int LongMaxChars { get; init; } = 8500;
    /// <summary>
    /// Half of the training long items (<see cref="LongTrainAtTestLengths"/> aside) start much shorter (about 50
    /// tokens), their lengths log-uniform up to the maximum: finding the needle is learnt on short contexts, where it
    /// is cheap.
    /// </summary>
    public int LongTrainMinChars { get; init; } = 200;
    /// <summary>
    /// The share of training long items drawn at the test's lengths (uniform from <see cref="LongMinChars"/> to
    /// <see cref="LongMaxChars"/>): log-uniform lengths alone put only ~14% there, too few for the large model to
    /// learn to read past 1K-2K tokens of filler (the sixth-pair experiment, tools/train/README.md).
    /// </summary>
    public double LongTrainAtTestLengths { get; init; } = 0.5;

    public static SuiteSizes Default { get; } = new();
}
