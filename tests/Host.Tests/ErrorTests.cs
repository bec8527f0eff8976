using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AscendAio.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ErrorTests(HostFixture fixture)
{
    [Fact]
    public async Task MalformedJson_Returns400WithOpenAiErrorBody()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostAsync("/v1/completions", new StringContent("{\"model\": \"acme-mini\", \"prompt\": ", Encoding.UTF8, "application/json"));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("invalid_json", (string)error["code"]!);
        Assert.Contains("could not parse the JSON body", (string)error["message"]!);
    }

    [Fact]
    public async Task WrongJsonTypeForAField_Returns400NamingTheField()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt = "hi", max_tokens = "many" });

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("max_tokens", (string)error["param"]!);
    }

    [Fact]
    public async Task UnknownModel_Returns404ModelNotFound_ListingTheServedNames()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions", new { model = "gpt-4", messages = new[] { new { role = "user", content = "hi" } } });

        var error = await AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_request_error");
        Assert.Equal("model_not_found", (string)error["code"]!);
        Assert.Equal("model", (string)error["param"]!);
        Assert.Contains("gpt-4", (string)error["message"]!);
        Assert.Contains($"this server serves aio, {HostFixture.SmallName}, {HostFixture.LargeName}.", (string)error["message"]!);
    }

    [Theory]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"temperature\":2.5}", "temperature")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"temperature\":-0.1}", "temperature")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"top_p\":0}", "top_p")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"top_p\":1.5}", "top_p")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"max_tokens\":0}", "max_tokens")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"max_tokens\":65}", "max_tokens")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"n\":2}", "n")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "stop")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"stop\":\"\"}", "stop")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"strategy\":\"beam\"}", "strategy")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"strategy\":\"draft\"}", "strategy")]
    [InlineData("{\"model\":\"acme-max\",\"prompt\":\"hi\",\"strategy\":\"pld\",\"temperature\":0.7}", "strategy")]
    [InlineData("{\"model\":\"acme-mini\",\"prompt\":[\"a\",\"b\"]}", "prompt")]
    [InlineData("{\"model\":\"acme-mini\"}", "prompt")]
    [InlineData("{\"prompt\":\"hi\"}", "model")]
    public async Task OutOfRangeOrMissingParameter_Returns400NamingIt(string json, string param)
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostAsync("/v1/completions", new StringContent(json, Encoding.UTF8, "application/json"));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, (string)error["param"]!);
    }

    [Fact]
    public async Task PromptOverTheConfiguredLimit_Returns400ContextLengthExceeded()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxPromptTokens = 10 } });

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt = "What is the capital of France? The capital of France is Paris." });

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("context_length_exceeded", (string)error["code"]!);
        Assert.Equal("prompt", (string)error["param"]!);
    }

    [Fact]
    public async Task PromptOverTheModelContext_Returns400ContextLengthExceeded()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxPromptTokens = 10_000 } });
        var longPrompt = string.Concat(Enumerable.Repeat("zq xv ", 1200));

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions", new { model = HostFixture.LargeName, messages = new[] { new { role = "user", content = longPrompt } } });

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("context_length_exceeded", (string)error["code"]!);
    }

    [Fact]
    public async Task FullQueue_Returns429WithRetryAfter_QueuedRequestRunsOnceASlotFrees()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { ConcurrentSequences = 1, QueueLength = 1 } });
        var scheduler = server.Server.Scheduler;
        var body = new { model = HostFixture.SmallName, prompt = "hi", max_tokens = 2 };
        Task<HttpResponseMessage> queued;
        // Occupy the only sequence slot, as a running request would; the next request takes the only queue place.
        using (var running = scheduler.TryAdmit()!)
        {
            await running.WaitAsync(CancellationToken.None);
            queued = server.Client.PostJsonAsync("/v1/completions", body);
            await Eventually.WaitAsync(() => scheduler.Waiting > 0);
            Assert.Equal(1, scheduler.Waiting);

            using var refused = await server.Client.PostJsonAsync("/v1/completions", body);

            var error = await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_error");
            Assert.Equal("queue_full", (string)error["code"]!);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
        using var served = await queued;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task FullQueue_ARequestWaitingForAPlace_IsServedWhenOneFreesWithinTheAdmissionWait()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { ConcurrentSequences = 1, QueueLength = 0, AdmissionWaitMs = 60_000 } });
        var scheduler = server.Server.Scheduler;
        Task<HttpResponseMessage> waiting;
        using (var running = scheduler.TryAdmit()!)
        {
            await running.WaitAsync(CancellationToken.None);
            waiting = server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt = "hi", max_tokens = 2 });
            await Eventually.WaitAsync(() => scheduler.WaitingForPlace == 1);
            Assert.False(waiting.IsCompleted);
        }
        using var served = await waiting;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task ApiKeyConfigured_RequestWithoutOrWithWrongKey_Returns401_RightKeyPasses_HealthStaysOpen()
    {
        await using var server = await fixture.StartAsync(o => o with { Server = o.Server with { ApiKeys = ["sk-test-123"] } });
        var body = new { model = HostFixture.SmallName, prompt = "hi", max_tokens = 2 };

        using var missing = await server.Client.PostJsonAsync("/v1/completions", body);
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong");
        using var wrong = await server.Client.PostJsonAsync("/v1/completions", body);
        using var metrics = await server.Client.GetAsync("/metrics");
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-test-123");
        using var right = await server.Client.PostJsonAsync("/v1/completions", body);
        server.Client.DefaultRequestHeaders.Authorization = null;
        using var health = await server.Client.GetAsync("/health");

        Assert.Equal("invalid_api_key", (string)(await AssertErrorAsync(missing, HttpStatusCode.Unauthorized, "invalid_request_error"))["code"]!);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_request_error");
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task UnknownPath_Returns404WithOpenAiErrorBody()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.GetAsync("/v1/engines");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_request_error");
    }

    internal static async Task<JsonNode> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadObjectAsync();
        var error = body["error"]!;
        Assert.Equal(type, (string)error["type"]!);
        Assert.False(string.IsNullOrWhiteSpace((string)error["message"]!));
        return error;
    }
}
