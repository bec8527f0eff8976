using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Continuous batching on the tiny target (batch gears 1, 2, 4): concurrent requests, more than the batch holds,
/// each get exactly the greedy tokens they get alone; a cancelled request leaves at the next step; nothing leaks.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class StepSchedulerTests : IDisposable
{
    private static readonly IReadOnlySet<int> NoStop = new HashSet<int>();
    private readonly TinyBundles _bundles;
    private readonly string _root = TempDirectory.Create("engine-scheduler");
    private readonly LanguageModel _model;

    public StepSchedulerTests(TinyBundles bundles)
    {
        _bundles = bundles;
        var directory = Path.Combine(_root, "batched");
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = bundles.Target.Directory,
            OutputDirectory = directory,
            ModelName = "target-batched",
            PrefillChunk = TinyBundles.Chunk,
            VerifyK = TinyBundles.VerifyK,
            Gears = TinyBundles.Gears,
            BatchGears = [1, 2, 4],
        });
        _model = LanguageModel.Load(bundles.Device, ModelBundle.Load(directory));
    }

    public void Dispose()
    {
        _model.Dispose();
        TempDirectory.Delete(_root);
    }

    [Fact]
    public async Task SixConcurrentRequests_OnFourRows_EachGetItsTokensAlone()
    {
        var prompts = Enumerable.Range(0, 6).Select(i => Prompt(30 + i, 5 + 9 * i)).ToArray();   // 5 .. 50 tokens: 1 to 4 chunks
        var expected = prompts.Select(p => DecodeAlone(p, 14)).ToArray();
        var baseline = _bundles.Device.GetMemoryInfo().Free;

        StepScheduler scheduler;
        List<int>[] results;
        using (scheduler = new StepScheduler(_model))
            results = await Task.WhenAll(prompts.Select(p => Collect(scheduler.GenerateAsync(p, 14, NoStop))));

        for (var i = 0; i < prompts.Length; i++)
            Assert.Equal(expected[i], results[i]);
        Assert.True(scheduler.RowSteps > scheduler.Steps, $"{scheduler.RowSteps} rows in {scheduler.Steps} steps: requests were batched");
        Assert.Equal(baseline, _bundles.Device.GetMemoryInfo().Free);
    }

    [Fact]
    public async Task ACancelledRequest_YieldsNothingMore_OthersFinishUnchanged()
    {
        var a = Prompt(50, 12);
        var expected = DecodeAlone(a, 16);
        using var scheduler = new StepScheduler(_model);
        using var cancel = new CancellationTokenSource();
        using var cancelledBefore = new CancellationTokenSource();
        cancelledBefore.Cancel();

        var other = Collect(scheduler.GenerateAsync(a, 16, NoStop));
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in scheduler.GenerateAsync(Prompt(51, 7), 100, NoStop, cancel.Token))
                if (++seen == 3)
                    cancel.Cancel();
        });
        var never = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in scheduler.GenerateAsync(Prompt(52, 7), 100, NoStop, cancelledBefore.Token))
                never++;
        });

        Assert.Equal(3, seen);
        Assert.Equal(0, never);
        Assert.Equal(expected, await other);
    }

    [Fact]
    public async Task AStopToken_EndsTheRequest_AndIsItsLastToken()
    {
        var prompt = Prompt(60, 9);
        var alone = DecodeAlone(prompt, 12);
        var stop = alone[4];
        using var scheduler = new StepScheduler(_model);

        var tokens = await Collect(scheduler.GenerateAsync(prompt, 12, new HashSet<int> { stop }));

        Assert.Equal(alone.Take(alone.IndexOf(stop) + 1), tokens);
    }

    private static async Task<List<int>> Collect(IAsyncEnumerable<int> tokens)
    {
        var list = new List<int>();
        await foreach (var token in tokens)
            list.Add(token);
        return list;
    }

    private List<int> DecodeAlone(int[] prompt, int count)
    {
        using var sequence = _model.CreateSequence();
        var tokens = new List<int> { sequence.Prefill(prompt) };
        while (tokens.Count < count)
            tokens.Add(sequence.Decode(tokens[^1]));
        return tokens;
    }

    private int[] Prompt(int seed, int length) => Prompts.Random(seed, length, _bundles.FirstPlainToken, _bundles.VocabSize);
}
