using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;

namespace AscendAio.Engine.Tests;

/// <summary>
/// Continuous batching on the tiny target (batch gears 1, 2, 4): concurrent requests, more than one batched call
/// holds, get exactly what <see cref="Generator"/> gives each alone — greedy, sampled (per-row seed), PLD beside plain
/// rows, draft speculation, stop strings; a cancelled request leaves at the next step; a request whose graph call
/// fails fails alone; nothing leaks.
/// </summary>
[Collection(TinyBundlesCollection.Name)]
public sealed class StepSchedulerTests(TinyBundles bundles)
{
    private readonly LanguageModel _model = bundles.BatchedModel;

    [Fact]
    public async Task SixConcurrentRequests_OnTwoLanesOfFourRows_EachGetWhatTheyGetAlone()
    {
        var prompts = Enumerable.Range(0, 6).Select(i => Prompt(30 + i, 5 + 9 * i)).ToArray();   // 5 .. 50 tokens: 1 to 4 chunks
        var options = new GenerationOptions { MaxNewTokens = 14 };
        var expected = prompts.Select(p => Generator.Generate(_model, p, options)).ToArray();
        var baseline = bundles.Device.GetMemoryInfo().Free;

        StepScheduler scheduler;
        Run[] results;
        using (scheduler = new StepScheduler(_model, capacity: 6))
            results = await Task.WhenAll(prompts.Select(p => Collect(scheduler.StreamAsync(p, options))));

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(expected[i].Tokens, results[i].Tokens);
            Assert.Equal(expected[i].Text, results[i].Text);
            Assert.Equal(expected[i].FinishReason, results[i].Finish);
            Assert.Equal(expected[i].Tokens.Length, results[i].Metrics!.GeneratedTokens);
        }
        Assert.True(scheduler.RowSteps > scheduler.Steps, $"{scheduler.RowSteps} rows in {scheduler.Steps} steps: requests were batched");
        Assert.Equal(baseline, bundles.Device.GetMemoryInfo().Free);
    }

    [Fact]
    public async Task SampledRows_WithTheirOwnSeeds_BesideGreedyRows_MatchTheirRunsAlone()
    {
        var prompts = Enumerable.Range(0, 4).Select(i => Prompt(70 + i, 6 + 5 * i)).ToArray();
        GenerationOptions[] options =
        [
            new() { MaxNewTokens = 12, Temperature = 0.9, Seed = 1 },
            new() { MaxNewTokens = 12 },
            new() { MaxNewTokens = 12, Temperature = 1.3, TopP = 0.8, Seed = 2 },
            new() { MaxNewTokens = 12, Temperature = 0.9, Seed = 3 },
        ];
        var expected = prompts.Select((p, i) => Generator.Generate(_model, p, options[i]).Tokens).ToArray();

        using var scheduler = new StepScheduler(_model);
        var results = await Task.WhenAll(prompts.Select((p, i) => Collect(scheduler.StreamAsync(p, options[i]))));

        for (var i = 0; i < prompts.Length; i++)
            Assert.Equal(expected[i], results[i].Tokens);
        Assert.NotEqual(results[0].Tokens, Generator.Generate(_model, prompts[0], options[0] with { Seed = 99 }).Tokens);
    }

    [Fact]
    public async Task PromptLookupRows_BesidePlainRows_GiveThePlainTokens_AndAcceptDrafts()
    {
        // Repeating phrases: PLD finds its drafts in the prompt.
        var prompts = Enumerable.Range(0, 4).Select(i => Prompts.Repeating(80 + i, 40, 6, bundles.FirstPlainToken, bundles.VocabSize)).ToArray();
        var plain = new GenerationOptions { MaxNewTokens = 20 };
        var pld = plain with { Strategy = new PromptLookupDecoding() };
        var expected = prompts.Select(p => Generator.Generate(_model, p, plain).Tokens).ToArray();

        using var scheduler = new StepScheduler(_model);
        var results = await Task.WhenAll(prompts.Select((p, i) => Collect(scheduler.StreamAsync(p, i % 2 == 0 ? pld : plain))));

        for (var i = 0; i < prompts.Length; i++)
            Assert.Equal(expected[i], results[i].Tokens);
        var accepted = results.Where((_, i) => i % 2 == 0).Sum(r => r.Metrics!.DraftTokensAccepted);
        Assert.True(accepted > 0, "PLD rows accepted none of their drafts");
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal(0, r.Metrics!.DraftTokensProposed));
    }

    [Fact]
    public async Task DraftSpeculation_RunsBesideBatchedRows_AndGivesThePlainTokens()
    {
        var prompts = new[] { Prompt(90, 12), Prompt(91, 20) };
        var plain = new GenerationOptions { MaxNewTokens = 16 };
        var expected = prompts.Select(p => Generator.Generate(_model, p, plain).Tokens).ToArray();

        using var scheduler = new StepScheduler(_model);
        var draft = Collect(scheduler.StreamAsync(prompts[0], plain with { Strategy = new DraftSpeculativeDecoding() }, drafter: bundles.DrafterModel));
        var row = Collect(scheduler.StreamAsync(prompts[1], plain));

        Assert.Equal(expected[0], (await draft).Tokens);
        Assert.True((await draft).Metrics!.DraftTokensProposed > 0);
        Assert.Equal(expected[1], (await row).Tokens);
    }

    [Fact]
    public async Task AStopString_EndsTheRequest_AsTheGeneratorDoes()
    {
        var prompt = Prompt(60, 9);
        var alone = Generator.Generate(_model, prompt, new GenerationOptions { MaxNewTokens = 16 });
        var stop = alone.Text.Length > 6 ? alone.Text.Substring(alone.Text.Length / 2, 2) : alone.Text;
        var options = new GenerationOptions { MaxNewTokens = 16, StopStrings = [stop] };
        var expected = Generator.Generate(_model, prompt, options);

        using var scheduler = new StepScheduler(_model);
        var result = await Collect(scheduler.StreamAsync(prompt, options));

        Assert.Equal(FinishReason.Stop, result.Finish);
        Assert.Equal(expected.Text, result.Text);
        Assert.DoesNotContain(stop, result.Text);
    }

    [Fact]
    public async Task ACancelledRequest_YieldsNothingMore_OthersFinishUnchanged()
    {
        var a = Prompt(50, 12);
        var options = new GenerationOptions { MaxNewTokens = 16 };
        var expected = Generator.Generate(_model, a, options).Tokens;
        var baseline = bundles.Device.GetMemoryInfo().Free;
        using (var scheduler = new StepScheduler(_model))
        {
            using var cancel = new CancellationTokenSource();
            using var cancelledBefore = new CancellationTokenSource();
            cancelledBefore.Cancel();

            var other = Collect(scheduler.StreamAsync(a, options));
            var seen = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in scheduler.StreamAsync(Prompt(51, 7), options with { MaxNewTokens = 100 }, cancellation: cancel.Token))
                    if (++seen == 3)
                        cancel.Cancel();
            });
            var never = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in scheduler.StreamAsync(Prompt(52, 7), options, cancellation: cancelledBefore.Token))
                    never++;
            });

            Assert.Equal(3, seen);
            Assert.Equal(0, never);
            Assert.Equal(expected, (await other).Tokens);
        }
        Assert.Equal(baseline, bundles.Device.GetMemoryInfo().Free);
    }

    [Fact]
    public async Task ARequestWhoseGraphCallFails_FailsAlone_TheOthersFinishUnchanged()
    {
        var good = Prompt(40, 10);
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var expected = Generator.Generate(_model, good, options).Tokens;
        var bad = Prompt(41, 10);
        bad[4] = bundles.VocabSize + 7;   // out of the embedding table: the device rejects the prefill call

        using var scheduler = new StepScheduler(_model);
        var failing = Collect(scheduler.StreamAsync(bad, options));
        var fine = Collect(scheduler.StreamAsync(good, options));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.IsNotType<OperationCanceledException>(error);
        Assert.Equal(expected, (await fine).Tokens);
        Assert.Equal(expected, (await Collect(scheduler.StreamAsync(good, options))).Tokens);   // the scheduler still serves
    }

    [Fact]
    public async Task WorkQueuedOnTheScheduler_RunsOnItsWorker_BetweenSteps()
    {
        using var scheduler = new StepScheduler(_model);
        var running = Collect(scheduler.StreamAsync(Prompt(95, 8), new GenerationOptions { MaxNewTokens = 30 }));

        var (thread, first) = await scheduler.RunAsync(() =>
        {
            using var sequence = _model.CreateSequence();
            return (Environment.CurrentManagedThreadId, sequence.Prefill(Prompt(96, 8)));
        });

        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
        Assert.Equal(Generator.Generate(_model, Prompt(96, 8), new GenerationOptions { MaxNewTokens = 1 }).Tokens[0], first);
        await running;
    }

    [Fact]
    public async Task TenThousandShortRequests_SomeCancelled_LeaveNoKvBehind()
    {
        _model.Caches.Trim();
        var baseline = bundles.Device.GetMemoryInfo().Free;
        var options = new GenerationOptions { MaxNewTokens = 2 };
        var completed = 0;
        using (var scheduler = new StepScheduler(_model, capacity: 8))
        {
            for (var wave = 0; wave < 10_000 / 50; wave++)
            {
                var requests = Enumerable.Range(0, 50).Select(async i =>
                {
                    using var cancel = new CancellationTokenSource();
                    if (i % 10 == 3)
                        cancel.Cancel();
                    try
                    {
                        await foreach (var _ in scheduler.StreamAsync(Prompt(wave * 50 + i, 3 + i % 5), options, cancellation: cancel.Token))
                        {
                        }
                        Interlocked.Increment(ref completed);
                    }
                    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                    {
                    }
                });
                await Task.WhenAll(requests);
            }
        }
        Assert.Equal(9_000, completed);
        Assert.Equal(0, _model.Caches.InUse);
        _model.Caches.Trim();
        Assert.Equal(baseline, bundles.Device.GetMemoryInfo().Free);
    }

    private sealed record Run(int[] Tokens, string Text, FinishReason? Finish, GenerationMetrics? Metrics);

    private static async Task<Run> Collect(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var tokens = new List<int>();
        var text = "";
        FinishReason? finish = null;
        GenerationMetrics? metrics = null;
        await foreach (var update in updates)
        {
            tokens.AddRange(update.Tokens);
            text += update.TextDelta;
            finish = update.Finish ?? finish;
            metrics = update.Metrics ?? metrics;
        }
        return new Run([.. tokens], text, finish, metrics);
    }

    private int[] Prompt(int seed, int length) => Prompts.Random(seed, length, bundles.FirstPlainToken, bundles.VocabSize);
}
