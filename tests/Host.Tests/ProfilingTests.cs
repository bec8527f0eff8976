using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.Profiling;
using AscendAio.TestSupport;

namespace AscendAio.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ProfilingTests(HostFixture fixture)
{
    [Fact]
    public async Task ProfiledGeneration_TimelineSummary_NamesTheGraphsAndCopies()
    {
        var dir = TempDirectory.Create("host-profile");
        try
        {
            using (Engine.Acl.DeviceProfiler.Start(fixture.Models.Device, dir))
            {
                var prepared = fixture.Backend.Prepare(new CompletionRequest { Model = HostFixture.LargeName, Prompt = "profile me", MaxTokens = 5 });
                await using var run = await fixture.Backend.StartAsync(prepared, CancellationToken.None);
                await foreach (var _ in run.Updates)
                {
                }
            }

            var summary = TraceSummary.Load(TraceSummary.FindTimeline(dir)!);

            // One graph per model: one prefill call and four decode steps all run the large model's graph.
            var graph = Assert.Single(summary.Graphs);
            Assert.Equal(($"{HostFixture.LargeBundleName}/model.onnx", 5), (graph.Graph, graph.Calls));
            Assert.Contains(summary.Copies, c => c.Kind == "ACL_MEMCPY_DEVICE_TO_HOST" && c.Calls > 0 && c.Bytes > 0);
            // Every graph call sits in one engine range (msproftx), named by its kind; ranges are not counted as calls.
            Assert.Equal(graph.Calls, summary.Ranges.Sum(r => r.Calls));
            Assert.All(summary.Ranges, r => Assert.Contains(r.Name, new[] { "prefill", "decode" }));
            Assert.True(summary.Ranges.Single(r => r.Name == "decode").Calls >= 4);
            Assert.DoesNotContain(summary.Calls, c => c.Name is "prefill" or "decode");
            Assert.True(summary.WallMs >= summary.BusyMs);
            Assert.Equal(summary.WallMs - summary.BusyMs, summary.HostGaps.TotalMs, 3);
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }

    [Fact]
    public async Task ProfiledRoutedRequest_MarksTheProbe()
    {
        var dir = TempDirectory.Create("host-profile-routed");
        try
        {
            using (Engine.Acl.DeviceProfiler.Start(fixture.Models.Device, dir))
            {
                var prepared = fixture.Backend.Prepare(new CompletionRequest { Model = EngineBackend.RoutedModel, Prompt = "def add(a, b):", MaxTokens = 3 });
                await using var run = await fixture.Backend.StartAsync(prepared, CancellationToken.None);
                await foreach (var _ in run.Updates)
                {
                }
            }

            var summary = TraceSummary.Load(TraceSummary.FindTimeline(dir)!);

            Assert.Equal(1, summary.Ranges.Single(r => r.Name == "probe").Calls);
            Assert.Contains(summary.Ranges, r => r.Name == "decode");
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }
}
