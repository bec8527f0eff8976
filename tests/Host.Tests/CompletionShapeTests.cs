using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AscendAio.Host.Backends;
using AscendAio.Router;

namespace AscendAio.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class CompletionShapeTests(HostFixture fixture)
{
    [Fact]
    public async Task Completion_NonStreaming_ReturnsOpenAiShapeWithTheEnginesTextAndTheRoute()
    {
        await using var server = await fixture.StartAsync();
        var expected = Http.Expected(fixture, new CompletionRequest { Model = HostFixture.LargeName, Prompt = "def add(a, b):", MaxTokens = 12 });

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "def add(a, b):", max_tokens = 12 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("model=" + HostFixture.LargeName + ";", response.Headers.GetValues(RouteInfo.HeaderName).Single());
        var body = await response.ReadObjectAsync();
        Assert.StartsWith("cmpl-", (string)body["id"]!);
        Assert.Equal("text_completion", (string)body["object"]!);
        Assert.Equal(HostFixture.LargeName, (string)body["model"]!);
        Assert.True((long)body["created"]! > 1_600_000_000);
        var choice = body["choices"]!.AsArray().Single()!;
        Assert.Equal(expected.Text, (string)choice["text"]!);
        Assert.Equal(0, (int)choice["index"]!);
        Assert.Equal(expected.FinishReason == Engine.Generation.FinishReason.Length ? "length" : "stop", (string)choice["finish_reason"]!);
        var usage = body["usage"]!;
        Assert.Equal(expected.Metrics.PromptTokens, (int)usage["prompt_tokens"]!);
        Assert.Equal(expected.Tokens.Length, (int)usage["completion_tokens"]!);
        Assert.Equal((int)usage["prompt_tokens"]! + (int)usage["completion_tokens"]!, (int)usage["total_tokens"]!);
        var aio = body["aio"]!;
        Assert.Equal(HostFixture.LargeName, (string)aio["model"]!);
        Assert.Equal("large", (string)aio["role"]!);
        Assert.Equal("plain", (string)aio["strategy"]!);
        Assert.Null(aio["entropy"]);
        Assert.True((double)aio["timings"]!["total_ms"]! >= (double)aio["timings"]!["decode_ms"]!);
    }

    [Fact]
    public async Task ChatCompletion_NonStreaming_ReturnsAssistantMessageFromTheJoinedMessages()
    {
        await using var server = await fixture.StartAsync();
        var expected = Http.Expected(fixture, new CompletionRequest { Model = HostFixture.SmallName, Prompt = "Be brief.\n\nWhat is the capital of France?", MaxTokens = 10 });

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions", new
        {
            model = HostFixture.SmallName,
            messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = new[] { new { type = "text", text = "What is the capital of France?" } } } },
            max_tokens = 10,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.StartsWith("chatcmpl-", (string)body["id"]!);
        Assert.Equal("chat.completion", (string)body["object"]!);
        var choice = body["choices"]!.AsArray().Single()!;
        Assert.Equal("assistant", (string)choice["message"]!["role"]!);
        Assert.Equal(expected.Text, (string)choice["message"]!["content"]!);
        Assert.Equal("small", (string)body["aio"]!["role"]!);
    }

    [Fact]
    public async Task Completion_Streaming_SendsChunksThatAddUpToTheNonStreamingText_EndingWithDone()
    {
        await using var server = await fixture.StartAsync();
        var expected = Http.Expected(fixture, new CompletionRequest { Model = HostFixture.LargeName, Prompt = "for i in range(10):", MaxTokens = 20 });

        using var response = await server.Client.PostStreamAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "for i in range(10):", max_tokens = 20, stream = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("strategy=plain", response.Headers.GetValues(RouteInfo.HeaderName).Single());
        var events = await response.ReadEventsAsync().ToListAsync();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.True(chunks.Count >= 2, $"expected several chunks, got {chunks.Count}");
        Assert.All(chunks, c => Assert.Equal("text_completion", (string)c["object"]!));
        Assert.Single(chunks.Select(c => (string)c["id"]!).Distinct());
        var text = new StringBuilder();
        foreach (var chunk in chunks)
            text.Append((string)chunk["choices"]![0]!["text"]!);
        Assert.Equal(expected.Text, text.ToString());
        Assert.All(chunks[..^1], c => Assert.Null(c["choices"]![0]!["finish_reason"]));
        var last = chunks[^1];
        Assert.Equal("length", (string)last["choices"]![0]!["finish_reason"]!);
        Assert.Equal(expected.Tokens.Length, (int)last["usage"]!["completion_tokens"]!);
        Assert.Equal(HostFixture.LargeName, (string)last["aio"]!["model"]!);
    }

    [Fact]
    public async Task ChatCompletion_Streaming_StartsWithTheAssistantRoleAndStreamsDeltas()
    {
        await using var server = await fixture.StartAsync();
        var expected = Http.Expected(fixture, new CompletionRequest { Model = HostFixture.SmallName, Prompt = "Compute 12 + 30", MaxTokens = 8 });

        using var response = await server.Client.PostStreamAsync("/v1/chat/completions", new { model = HostFixture.SmallName, messages = new[] { new { role = "user", content = "Compute 12 + 30" } }, max_tokens = 8, stream = true });

        var events = await response.ReadEventsAsync().ToListAsync();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string)c["object"]!));
        Assert.Equal("assistant", (string)chunks[0]["choices"]![0]!["delta"]!["role"]!);
        var text = string.Concat(chunks.Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? ""));
        Assert.Equal(expected.Text, text);
        Assert.Equal("length", (string)chunks[^1]["choices"]![0]!["finish_reason"]!);
    }

    [Fact]
    public async Task Completion_WithStopString_EndsBeforeTheStopStringWithFinishReasonStop()
    {
        await using var server = await fixture.StartAsync();
        var full = Http.Expected(fixture, new CompletionRequest { Model = HostFixture.LargeName, Prompt = "Question: who wrote the book?", MaxTokens = 24 });
        // A stop string taken from the middle of the unconstrained answer.
        var stop = full.Text.Substring(full.Text.Length / 2, 2);
        var expected = full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)];

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "Question: who wrote the book?", max_tokens = 24, stop = new[] { stop } });

        var choice = (await response.ReadObjectAsync())["choices"]![0]!;
        Assert.Equal(expected, (string)choice["text"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
    }

    [Fact]
    public async Task RoutedCompletion_CarriesTheRoutersDecisionInHeaderAndBody_AndTheRoutersText()
    {
        await using var server = await fixture.StartAsync();
        const string prompt = "What is the capital of France?";
        var expected = fixture.Router.Generate(prompt, new Engine.Generation.GenerationOptions { MaxNewTokens = 8 });

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = "aio", prompt, max_tokens = 8 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = response.Headers.GetValues(RouteInfo.HeaderName).Single();
        var decision = expected.Decision;
        Assert.Contains($"model={fixture.Backend.Names.Of(decision.Model)}; role={decision.Model.RoleName()};", header);
        Assert.Contains($"category={decision.Category}", header);
        Assert.Contains($"entropy={decision.Entropy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", header);
        var body = await response.ReadObjectAsync();
        Assert.Equal("aio", (string)body["model"]!);
        Assert.Equal(expected.Result.Text, (string)body["choices"]![0]!["text"]!);
        var aio = body["aio"]!;
        Assert.Equal(fixture.Backend.Names.Of(decision.Model), (string)aio["model"]!);
        Assert.Equal(decision.Strategy.Name, (string)aio["strategy"]!);
        Assert.Equal(decision.Category, (string)aio["category"]!);
        Assert.Equal(decision.Entropy, (double)aio["entropy"]!, 6);
        Assert.InRange((double)aio["entropy"]!, 0, Math.Log(3) + 1e-9);
        Assert.Equal(decision.Reason, (string)aio["reason"]!);
        Assert.True((double)aio["timings"]!["probe_ms"]! > 0);
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE aio_probe_entropy_nats histogram", metrics);
        PrometheusAssert.HasSample(metrics, "aio_probe_entropy_nats_count 1");
    }

    [Theory]
    [InlineData("pld")]
    [InlineData("draft")]
    public async Task RoutedCompletion_WithAPinnedStrategy_ReturnsTheRoutersResultForThatStrategy(string strategy)
    {
        await using var server = await fixture.StartAsync();
        const string prompt = "Compute 12 + 30 = 42. Then 42 * 2 = 84.";
        Engine.Generation.DecodingStrategy pinned = strategy == "pld" ? new Engine.Generation.PromptLookupDecoding() : new Engine.Generation.DraftSpeculativeDecoding();
        var expected = fixture.Router.Generate(prompt, new Engine.Generation.GenerationOptions { MaxNewTokens = 10, Strategy = pinned });

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = "aio", prompt, max_tokens = 10, strategy });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(expected.Result.Text, (string)body["choices"]![0]!["text"]!);
        Assert.Equal(expected.Decision.Strategy.Name, (string)body["aio"]!["strategy"]!);
        Assert.Equal(fixture.Backend.Names.Of(expected.Decision.Model), (string)body["aio"]!["model"]!);
    }

    [Fact]
    public async Task Models_ListsThePinnedModels_AndHealthReportsDeviceMemory()
    {
        await using var server = await fixture.StartAsync();

        var models = await (await server.Client.GetAsync("/v1/models")).ReadObjectAsync();
        var health = await (await server.Client.GetAsync("/health")).ReadObjectAsync();

        Assert.Equal("list", (string)models["object"]!);
        Assert.Equal(["aio", HostFixture.SmallName, HostFixture.LargeName], models["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal("ok", (string)health["status"]!);
        Assert.True((long)health["device_memory"]!["used"]! > 0);
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposesPrometheusFamiliesWithCounts()
    {
        await using var server = await fixture.StartAsync();
        await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt = "hi", max_tokens = 4 });
        await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "hi", max_tokens = 4, strategy = "pld" });
        await server.Client.PostJsonAsync("/v1/completions", new { model = "nope", prompt = "hi" });

        var text = await server.Client.MetricsOnceAsync("aio_requests_total{endpoint=\"completions\",model=\"nope\",status=\"404\"} 1");
        using var response = await server.Client.GetAsync("/metrics");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        PrometheusAssert.HasSample(text, "aio_requests_total{endpoint=\"completions\",model=\"" + HostFixture.SmallName + "\",status=\"200\"} 1");
        PrometheusAssert.HasSample(text, "aio_requests_total{endpoint=\"completions\",model=\"nope\",status=\"404\"} 1");
        PrometheusAssert.HasSample(text, "aio_completion_tokens_total{model=\"" + HostFixture.SmallName + "\"} 4");
        PrometheusAssert.HasSample(text, "aio_route_total{model=\"" + HostFixture.LargeName + "\",strategy=\"pld\",category=\"none\"} 1");
        PrometheusAssert.HasSample(text, "aio_route_share{model=\"" + HostFixture.SmallName + "\"} 0.5");
        // An instrument is exported once it has a measurement: no request here is routed, so the entropy histogram
        // (checked in RoutedCompletion_…) is absent and the latency histogram stands for the family format.
        Assert.Contains("# TYPE aio_request_duration_seconds histogram", text);
        PrometheusAssert.HasSample(text, "aio_request_duration_seconds_count 2");
        PrometheusAssert.HasSample(text, "aio_queue_depth 0");
        PrometheusAssert.HasSample(text, "aio_device_memory_bytes{kind=\"used\"}");
        PrometheusAssert.HasSample(text, "aio_kv_caches{model=\"" + HostFixture.LargeName + "\",state=\"in_use\"} 0");
    }
}
