using AscendAio.Engine.Bundles;
using AscendAio.Engine.Planning;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests.Planning;

/// <summary>A bundle's footprint comes from bundle.json alone.</summary>
public sealed class BundleFootprintTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("plan-bundle");

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public void Load_TakesWeightsKvAndGearsFromTheManifest()
    {
        var bundle = TinyBundle.Export(_root);
        var manifest = BundleManifest.Load(bundle);

        var footprint = BundleFootprint.Load(bundle);

        Assert.Equal(manifest.ModelName, footprint.Name);
        Assert.Equal(manifest.Weights.Bytes, footprint.WeightBytes);
        Assert.Equal(manifest.KvLayout.BytesPerPosition, footprint.KvBytesPerPosition);
        Assert.Equal(manifest.MaxContext, footprint.MaxContext);
        Assert.Equal(manifest.MaxContext, footprint.Gears[^1]);
        Assert.True(footprint.WorkspaceBytes > 0);
        Assert.Equal(manifest.KvLayout.BytesPerPosition * 64, footprint.KvBytesPerSequence(40)); // gears 64, 256
    }
}
