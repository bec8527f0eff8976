using AscendAio.Engine.Generation;
using BenchmarkDotNet.Attributes;

namespace AscendAio.Bench;

/// <summary>
/// PromptLookup.Propose over a 2K-token context, run once per PLD step. "hit": the suffix recurs early in the
/// context (the scan walks back nearly the whole context before finding it); "miss": it never recurs, so every n-gram
/// size scans the whole context, the worst case.
/// </summary>
public class PromptLookupBenchmarks
{
    private readonly int[] _drafts = new int[4];
    private int[] _tokens = [];

    [Params(2048)]
    public int Context { get; set; }

    [Params("hit", "miss")]
    public string Case { get; set; } = "hit";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _tokens = new int[Context];
        for (var i = 0; i < Context; i++)
            _tokens[i] = 8 + random.Next(1000);
        if (Case == "hit")
            _tokens.AsSpan(Context - 6).CopyTo(_tokens.AsSpan(10));   // the 6-token suffix also occurs at position 10
        else
            for (var i = 0; i < 6; i++)
                _tokens[Context - 6 + i] = 1500 + i;                     // ids that occur nowhere else
    }

    [Benchmark]
    public int Propose() => PromptLookup.Propose(_tokens, maxNgram: 6, _drafts);
}
