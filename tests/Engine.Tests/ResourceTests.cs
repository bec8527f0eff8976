using AscendAio.Engine.Generation;

namespace AscendAio.Engine.Tests;

[Collection(TinyBundlesCollection.Name)]
public sealed class ResourceTests(TinyBundles bundles)
{
    [Fact]
    public async Task CancellationMidStream_ReturnsDeviceMemoryToItsStartingValue()
    {
        var model = bundles.TargetModel;
        var prompt = Prompts.Random(41, 20, bundles.FirstPlainToken, bundles.VocabSize);
        Generator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 2 }); // warm the cache pool
        var start = bundles.Device.GetMemoryInfo().Free;
        using var cancel = new CancellationTokenSource();

        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in Generator.StreamAsync(model, prompt, new GenerationOptions { MaxNewTokens = 100 }, cancellation: cancel.Token))
            {
                if (++received == 3)
                    cancel.Cancel();
            }
        });

        Assert.Equal(3, received);
        Assert.Equal(0, model.Caches.InUse);
        Assert.Equal(start, bundles.Device.GetMemoryInfo().Free);
    }

    [Fact]
    public void TwoHundredSequentialRequests_LeakNoDeviceMemory()
    {
        var model = bundles.TargetModel;
        var options = new GenerationOptions { MaxNewTokens = 3 };
        Generator.Generate(model, Prompts.Random(42, 8, bundles.FirstPlainToken, bundles.VocabSize), options);
        var start = bundles.Device.GetMemoryInfo().Free;

        for (var i = 0; i < 200; i++)
            Generator.Generate(model, Prompts.Random(100 + i, 4 + i % 20, bundles.FirstPlainToken, bundles.VocabSize), options);

        Assert.Equal(start, bundles.Device.GetMemoryInfo().Free);
        Assert.Equal(0, model.Caches.InUse);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("pld")]
    public void SteadyStateDecodeSteps_AllocateNothingOnTheManagedHeap(string strategy)
    {
        var model = bundles.TargetModel;
        var prompt = Prompts.Repeating(43, 24, 6, bundles.FirstPlainToken, bundles.VocabSize);
        var options = new GenerationOptions
        {
            MaxNewTokens = 90,
            Strategy = strategy == "pld" ? new PromptLookupDecoding() : DecodingStrategy.Plain,
        };
        using var session = GenerationSession.Start(model, prompt, options);
        for (var i = 0; i < 10; i++)
            session.Step(); // warm-up: first token, JIT, and the cache's growth from gear 32 to 128 (24 + 10 positions)

        var before = GC.GetAllocatedBytesForCurrentThread();
        var steps = 0;
        for (; steps < 20 && session.Step(); steps++)
        {
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(steps >= 10, $"only {steps} steps ran");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void BothModels_AreResidentOnOneDevice_WithTheirMemoryReported()
    {
        var target = bundles.TargetModel.MemoryReport();
        var drafter = bundles.DrafterModel.MemoryReport();

        Assert.Same(bundles.TargetModel.Device, bundles.DrafterModel.Device);
        Assert.True(target.WeightBytes > drafter.WeightBytes);
        Assert.True(target.GraphDeviceBytes > 0 && drafter.GraphDeviceBytes > 0);
        Assert.Equal(bundles.TargetModel.Manifest.KvLayout.BytesFor(TinyBundles.Context), target.KvBytesAtMaxContext);
    }
}
