using System.Diagnostics.Metrics;

namespace AscendAio.Host.Tests;

/// <summary>/metrics exports every AscendAio Meter of the process (the engine's among them) and only this server's host Meter.</summary>
[Collection(HostCollection.Name)]
public sealed class MetricsExportTests(HostFixture fixture)
{
    [Fact]
    public async Task ProcessWideAscendAioMeters_AreExported_OtherMetersAreNot()
    {
        using var engineSide = new Meter("AscendAio.Engine.ExportTest");
        using var foreign = new Meter("Elsewhere.ExportTest");
        var steps = engineSide.CreateCounter<long>("aio_export_test_steps_total");
        var other = foreign.CreateCounter<long>("foreign_export_test_total");
        await using var server = await fixture.StartAsync();
        // Measurements count from when the exporter listens, as with any System.Diagnostics.Metrics listener.
        steps.Add(3);
        other.Add(5);

        var text = await server.Client.MetricsOnceAsync("aio_export_test_steps_total 3");

        PrometheusAssert.HasSample(text, "aio_export_test_steps_total 3");
        Assert.DoesNotContain("foreign_export_test_total", text);
    }

    [Fact]
    public async Task TwoServersInOneProcess_EachExportOnlyTheirOwnRequests()
    {
        await using var first = await fixture.StartAsync();
        await using var second = await fixture.StartAsync();
        await first.Client.PostJsonAsync("/v1/completions", new { model = "nope-first", prompt = "hi" });

        await first.Client.MetricsOnceAsync("aio_requests_total{endpoint=\"completions\",model=\"nope-first\",status=\"404\"} 1");
        var secondText = await second.Client.GetStringAsync("/metrics");

        Assert.DoesNotContain("nope-first", secondText);
    }
}
