using AscendAio.Engine.Bundles;
using Xunit.Abstractions;

namespace AscendAio.Export.Tests.Parity;

/// <summary>The tiny model's graph at every call kind and window, run through the device, against the float64 reference forward.</summary>
public sealed class GraphParityTests(TinyBundleFixture fixture, ITestOutputHelper output) : IClassFixture<TinyBundleFixture>
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Prefill_AcrossChunkAndGearBoundaries_MatchesReference()
    {
        var tokens = RandomTokens(21, seed: 1);   // chunks at 0, 8 (gear 16) and 16 (gear 64, 3 of 8 rows padding)
        var reference = fixture.Reference.Run(tokens);
        using var runner = BundleRunners.Open(fixture.Float.BundleDirectory);
        runner.Poison(1e4f);   // stale slots hold large finite values: the graph must mask slots >= pos

        var driver = new ParityDriver(runner, reference);
        driver.Prefill(tokens, tokens.Count);

        AssertWithinTolerance(driver, "prefill_w16", "prefill_w64");
    }

    [Fact]
    public void Decode_AcrossGearBoundary_MatchesReference()
    {
        var tokens = RandomTokens(30, seed: 2);
        var reference = fixture.Reference.Run(tokens);
        using var runner = BundleRunners.Open(fixture.Float.BundleDirectory);
        runner.Poison(1e4f);
        var driver = new ParityDriver(runner, reference);
        driver.Prefill(tokens, 10);

        for (var pos = 10; pos < tokens.Count; pos++)   // gear 16 up to pos 15, then gear 64
        {
            driver.Step("decode", [tokens[pos]], pos, checkedRows: 1);
            runner.CommitLast(pos, 1);
        }

        AssertWithinTolerance(driver, "decode_w16", "decode_w64");
    }

    [Theory]
    [InlineData(4, 16)]   // every draft matches the model's greedy continuation
    [InlineData(2, 16)]   // the third draft is wrong
    [InlineData(0, 16)]   // the first draft is wrong
    [InlineData(4, 64)]
    [InlineData(2, 64)]
    [InlineData(0, 64)]
    public void Verify_Drafts_ReturnsAcceptedLengthAndMatchesReference(int correctDrafts, int gear)
    {
        var prompt = RandomTokens(10, seed: 3);
        var sequence = WithDrafts(prompt, correctDrafts);
        var reference = fixture.Reference.Run(sequence);
        using var runner = BundleRunners.Open(fixture.Float.BundleDirectory);
        runner.Poison(1e4f);
        var driver = new ParityDriver(runner, reference);
        driver.Prefill(sequence, prompt.Count - 1);

        var pos = prompt.Count - 1;   // tokens = [last prompt token, d1..dK]
        var input = sequence.Skip(pos).Select(t => (long)t).ToArray();
        var outputs = driver.Step("verify", input, pos, checkedRows: input.Length, gear);

        Assert.Equal(correctDrafts, outputs.Accepted);
        AssertWithinTolerance(driver, $"verify_w{gear}");
    }

    [Fact]
    public void W8A16_MatchesDequantizedReference_AndFloatReferenceWithinQuantizationTolerance()
    {
        var tokens = RandomTokens(14, seed: 4);
        var dequantized = QuantizedReference.Build(fixture.Checkpoint).Run(tokens);
        var floatReference = fixture.Reference.Run(tokens);
        using var runner = BundleRunners.Open(fixture.W8A16.BundleDirectory);
        var driver = new ParityDriver(runner, dequantized);

        driver.Prefill(tokens, 10);
        for (var pos = 10; pos < tokens.Count; pos++)
        {
            var logits = driver.Step("decode", [tokens[pos]], pos, checkedRows: 1);
            runner.CommitLast(pos, 1);
            var quantizationError = Parity.RelativeError(logits.Logits, floatReference.Logits[pos]);
            output.WriteLine($"w8a16 decode pos {pos}: error vs float reference {quantizationError:E2}");
            Assert.True(quantizationError < QuantizedReference.FloatTolerance, $"pos {pos}: {quantizationError:E2}");
        }

        AssertWithinTolerance(driver, "prefill_w16", "decode_w16");
    }

    private void AssertWithinTolerance(ParityDriver driver, params string[] expectedCalls)
    {
        foreach (var (call, error) in driver.MaxErrorByCall.OrderBy(p => p.Key))
            output.WriteLine($"{call}: max relative error {error:E2}");
        foreach (var call in expectedCalls)
            Assert.Contains(call, driver.MaxErrorByCall.Keys);
        Assert.All(driver.MaxErrorByCall, p => Assert.True(p.Value <= Tolerance, $"{p.Key}: {p.Value:E2} > {Tolerance:E0}"));
    }

    private List<int> WithDrafts(IReadOnlyList<int> prompt, int correct) =>
        Parity.WithDrafts(fixture.Reference, prompt, correct, TinyBundleFixture.VerifyK, fixture.Checkpoint.Config.VocabSize);

    private List<int> RandomTokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(fixture.Checkpoint.Config.VocabSize)).ToList();
    }
}
