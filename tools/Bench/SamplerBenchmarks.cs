using AscendAio.Engine.Generation;
using BenchmarkDotNet.Attributes;

namespace AscendAio.Bench;

/// <summary>Sampler.Sample with temperature and top-p over one logits row (nucleus by selection), per sampled token.</summary>
public class SamplerBenchmarks
{
    private float[] _logits = [];
    private Sampler _sampler = null!;

    [Params(1024, 32000)]
    public int Vocab { get; set; }

    [Params(0.9, 1.0)]
    public double TopP { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _logits = new float[Vocab];
        for (var i = 0; i < Vocab; i++)
            _logits[i] = (float)(random.NextDouble() * 8 - 4);
        _sampler = new Sampler(Vocab, temperature: 0.8, topP: TopP, seed: 3);
    }

    [Benchmark]
    public int Sample() => _sampler.Sample(_logits);
}
