using System.Net;
using System.Text.Json.Nodes;
using AscendAio.Host.Backends;

namespace AscendAio.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ResourceTests(HostFixture fixture)
{
    private const int LongGeneration = 900;

    [Fact]
    public async Task ClientDisconnectMidStream_CancelsTheGenerationAndFreesItsKvCache()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxNewTokens = LongGeneration } });
        await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "warm", max_tokens = 2 }); // the cache pool holds one
        var before = fixture.Models.Device.GetMemoryInfo().Free;

        var received = 0;
        using (var response = await server.Client.PostStreamAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "count", max_tokens = LongGeneration, stream = true }))
        {
            await using var events = response.ReadEventsAsync().GetAsyncEnumerator();
            while (received < 2 && await events.MoveNextAsync())
                received++;
            // The running request holds a row of the large model's batch (its KV in the batch's device block).
            Assert.Equal(1, fixture.Execution.Schedulers.Single(s => s.Model == fixture.Models.Large).Running);
        } // disposing the unread response closes the connection
        await fixture.WaitForIdleCachesAsync();

        Assert.Equal(2, received);
        Assert.Equal(0, fixture.Models.Large!.Caches.InUse);
        Assert.Equal(before, fixture.Models.Device.GetMemoryInfo().Free);
        var metrics = await server.Client.MetricsOnceAsync("aio_requests_total{endpoint=\"completions\",model=\"" + HostFixture.LargeName + "\",status=\"499\"} 1");
        PrometheusAssert.HasSample(metrics, "aio_requests_cancelled_total 1");
        PrometheusAssert.HasSample(metrics, "aio_requests_total{endpoint=\"completions\",model=\"" + HostFixture.LargeName + "\",status=\"499\"} 1");
    }

    [Fact]
    public async Task FailingGraphExecution_Returns500ForThatRequest_AndTheServerKeepsServing()
    {
        await using var server = await fixture.StartAsync();
        var before = fixture.Models.Device.GetMemoryInfo().Free;

        // The broken token's id lies past the embedding table: the device's Gather fails during prefill.
        using var failed = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = $"x {HostFixture.BrokenToken} y", max_tokens = 4 });
        using var streamedFailure = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = HostFixture.BrokenToken, max_tokens = 4, stream = true });
        using var next = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "x y", max_tokens = 4 });

        var error = await ErrorTests.AssertErrorAsync(failed, HttpStatusCode.InternalServerError, "server_error");
        Assert.Equal("device_error", (string)error["code"]!);
        await ErrorTests.AssertErrorAsync(streamedFailure, HttpStatusCode.InternalServerError, "server_error");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(4, (int)(await next.ReadObjectAsync())["usage"]!["completion_tokens"]!);
        Assert.Equal(0, fixture.Models.Large!.Caches.InUse);
        Assert.Equal(before, fixture.Models.Device.GetMemoryInfo().Free);
        PrometheusAssert.HasSample(await server.Client.MetricsOnceAsync("status=\"500\"} 2"), "aio_requests_failed_total 2");
    }

    [Fact]
    public async Task EightConcurrentClients_TenRequestsEach_AllCompleteWithTheEnginesResults()
    {
        await using var server = await fixture.StartAsync();
        var requests = Enumerable.Range(0, 8).Select(client => Enumerable.Range(0, 10).Select(i => new CompletionRequest
        {
            Model = ((client + i) % 3) switch { 0 => HostFixture.SmallName, 1 => HostFixture.LargeName, _ => "aio" },
            Prompt = $"client {client} request {i}: what is {client} + {i}?",
            MaxTokens = 6 + (client + i) % 7,
        }).ToArray()).ToArray();
        var expected = requests.Select(r => r.Select(q => Http.Expected(fixture, q).Text).ToArray()).ToArray();

        var clients = requests.Select(async (list, client) =>
        {
            var texts = new List<string>();
            foreach (var request in list)
            {
                var stream = request.MaxTokens % 2 == 0;
                var body = new { model = request.Model, prompt = request.Prompt, max_tokens = request.MaxTokens, stream };
                if (stream)
                {
                    using var response = await server.Client.PostStreamAsync("/v1/completions", body);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var events = await response.ReadEventsAsync().ToListAsync();
                    Assert.Equal("[DONE]", events[^1]);
                    texts.Add(string.Concat(events[..^1].Select(e => (string)JsonNode.Parse(e)!["choices"]![0]!["text"]!)));
                }
                else
                {
                    using var response = await server.Client.PostJsonAsync("/v1/completions", body);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    texts.Add((string)(await response.ReadObjectAsync())["choices"]![0]!["text"]!);
                }
            }
            return texts.ToArray();
        }).ToArray();
        var results = await Task.WhenAll(clients);

        for (var c = 0; c < 8; c++)
            Assert.Equal(expected[c], results[c]);
        Assert.Equal(0, server.Server.Scheduler.Running + server.Server.Scheduler.Waiting);
        Assert.Equal(0, fixture.Models.Large!.Caches.InUse + fixture.Models.Small!.Caches.InUse);
    }

    [Fact]
    public async Task GracefulShutdown_LetsAnInFlightRequestFinish()
    {
        var server = await fixture.StartAsync();
        var request = server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "finish me", max_tokens = 64 });
        await Eventually.WaitAsync(() => server.Server.Scheduler.Running > 0 || request.IsCompleted, pollMilliseconds: 5);

        await server.Server.StopAsync();

        using var response = await request;
        await server.DisposeAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(64, (int)(await response.ReadObjectAsync())["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task Shutdown_ServesEveryReceivedRequest_RunningAndQueued_WithinTheGracePeriod()
    {
        // 16 requests on 4 sequences: 4 generate and 12 wait in the queue when the stop comes; none is turned away.
        var server = await fixture.StartAsync();
        var requests = Enumerable.Range(0, 16).Select(i =>
            server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = $"request {i}", max_tokens = 48 })).ToArray();
        await Eventually.WaitAsync(() => server.Server.Scheduler.Running + server.Server.Scheduler.Waiting == 16 || requests.Any(r => r.IsCompleted), pollMilliseconds: 2);
        Assert.True(server.Server.Scheduler.Waiting > 0, "some requests were queued when the stop came");

        await server.Server.StopAsync();

        var responses = await Task.WhenAll(requests);
        await server.DisposeAsync();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(48, (int)(await response.ReadObjectAsync())["usage"]!["completion_tokens"]!);
            }
        }
    }

    [Fact]
    public async Task Shutdown_PastTheGracePeriod_CancelsAnInFlightStreamAndFreesItsCache()
    {
        var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxNewTokens = LongGeneration, ShutdownGraceSeconds = 0 } });
        using var response = await server.Client.PostStreamAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "long", max_tokens = LongGeneration, stream = true });
        var events = response.ReadEventsAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        await server.Server.StopAsync();
        var rest = new List<string>();
        while (await events.MoveNextAsync())
            rest.Add(events.Current);
        await events.DisposeAsync();
        await server.DisposeAsync();
        await fixture.WaitForIdleCachesAsync();

        Assert.DoesNotContain("[DONE]", rest);
        Assert.Contains("shutting_down", rest[^1]);
        Assert.Equal(0, fixture.Models.Large!.Caches.InUse);
    }
}
