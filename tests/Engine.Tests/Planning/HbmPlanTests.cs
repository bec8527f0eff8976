using AscendAio.Engine.Bundles;
using AscendAio.Engine.Planning;

namespace AscendAio.Engine.Tests.Planning;

/// <summary>The plan's arithmetic on footprints small enough to check by hand.</summary>
public sealed class HbmPlanTests
{
    // Small: weights 1000, workspace 100, 2 B/position, gears 256, 512, 1024.
    private static readonly ModelFootprint Small = new()
    {
        Name = "small", WeightBytes = 1000, WorkspaceBytes = 100, KvBytesPerPosition = 2, MaxContext = 1024, Gears = [256, 512, 1024],
    };

    // Large: weights 10000, workspace 400, 8 B/position, gears 256, 512, 1024, 2048.
    private static readonly ModelFootprint Large = new()
    {
        Name = "large", WeightBytes = 10_000, WorkspaceBytes = 400, KvBytesPerPosition = 8, MaxContext = 2048, Gears = [256, 512, 1024, 2048],
    };

    private static HbmPlan Plan(int concurrency, int context, long device, HbmReserve? reserve = null) =>
        HbmPlan.Compute(new HbmPlanRequest
        {
            Models = [Small, Large], Concurrency = concurrency, Context = context, DeviceBytes = device, Reserve = reserve ?? new HbmReserve(0, 0),
        });

    [Fact]
    public void Compute_ChargesWeightsOnce_WorkspacesAndKvAtTheCoveringGear()
    {
        // context 300 → gear 512 for both: small 2·512 = 1024, large 8·512 = 4096 per sequence.
        var plan = Plan(concurrency: 3, context: 300, device: 100_000);

        Assert.Equal(1000 + 100 + 10_000 + 400, plan.FixedBytes);
        Assert.Equal(1024 + 4096, plan.KvBytesPerSequence);
        Assert.Equal(11_500 + 3 * 5120, plan.TotalBytes);
        Assert.Equal(3 * 1024, Assert.Single(plan.Lines, l => l is { Model: "small", Item: "KV cache" }).Bytes);
        Assert.Equal(3 * 4096, Assert.Single(plan.Lines, l => l is { Model: "large", Item: "KV cache" }).Bytes);
        Assert.True(plan.Fits);
        Assert.Equal((100_000 - 11_500) / 5120, plan.MaxConcurrency);
    }

    [Fact]
    public void Compute_CapsEachModelAtItsOwnContext()
    {
        // context 2000: small is capped at its 1024 (2048 B), large takes gear 2048 (16384 B).
        var plan = Plan(concurrency: 1, context: 2000, device: 100_000);

        Assert.Equal(2048 + 16_384, plan.KvBytesPerSequence);
        Assert.Contains("capped at the model's 1024", Assert.Single(plan.Lines, l => l is { Model: "small", Item: "KV cache" }).Detail);
    }

    [Fact]
    public void Compute_WhenItDoesNotFit_NamesTheLargestConcurrencyAndContextThatDo()
    {
        // 11,500 fixed; 4 sequences at gear 1024 cost 4·(2048 + 8192) = 40,960: 52,460 > 40,000.
        var plan = Plan(concurrency: 4, context: 1000, device: 40_000);

        Assert.False(plan.Fits);
        Assert.Equal((40_000 - 11_500) / 10_240, plan.MaxConcurrency); // 2
        Assert.Equal(512, plan.MaxContext);                               // 4·(1024 + 4096) = 20,480 fits; gear 1024 does not
        var verdict = plan.Verdict();
        Assert.Contains("does not fit", verdict);
        Assert.Contains("at most 2 concurrent sequence(s) fit at context 1000", verdict);
        Assert.Contains("at most context 512 with 4 sequence(s)", verdict);
    }

    [Fact]
    public void Compute_WhenTheWeightsAloneDoNotFit_NoConcurrencyFits()
    {
        var plan = Plan(concurrency: 1, context: 256, device: 11_000);

        Assert.False(plan.Fits);
        Assert.Equal(0, plan.MaxConcurrency);
        Assert.Equal(0, plan.MaxContext);
        Assert.Contains("no concurrency fits", plan.Verdict());
    }

    [Fact]
    public void Reserve_IsAFractionOfTheDevicePlusFixedBytes_AndIsCharged()
    {
        var plan = Plan(concurrency: 1, context: 256, device: 100_000, reserve: new HbmReserve(0.05, 1000));

        Assert.Equal(6000, Assert.Single(plan.Lines, l => l.Item == "reserve").Bytes);
        Assert.Equal(11_500 + 6000, plan.FixedBytes);
    }

    [Theory]
    [InlineData(1, 625)]
    [InlineData(625, 625)]
    [InlineData(626, 1250)]
    [InlineData(20_000, 20_000)]
    [InlineData(20_001, 40_000)]
    [InlineData(40_000, 40_000)]
    public void DefaultGears_HalveFromTheMaxContextDownToOneChunk_AsTheExporterCompilesThem(int positions, int expectedGear)
    {
        var gears = KvGears.Default(40_000, KvGears.DefaultPrefillChunk(40_000));   // chunk 512

        Assert.Equal([625, 1250, 2500, 5000, 10_000, 20_000, 40_000], gears);
        Assert.Equal(expectedGear, KvGears.Covering(gears, positions));
    }

    [Theory]
    [InlineData("64GiB", 64L << 30)]
    [InlineData("32 GB", 32L << 30)]
    [InlineData("1.5MiB", 3L << 19)]
    [InlineData("4096", 4096L)]
    public void ByteSize_ParsesBinaryUnits(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Fact]
    public void Presets_Name910B3As64GiB_And910B4As32GiB()
    {
        Assert.True(DevicePresets.TryGet("Ascend910B3", out var b3));
        Assert.True(DevicePresets.TryGet("910B4", out var b4));
        Assert.Equal(64L << 30, b3);
        Assert.Equal(32L << 30, b4);
    }
}
