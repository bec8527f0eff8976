using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AscendAio.Host.Backends;

namespace AscendAio.Host.Tests;

/// <summary>The OpenAI API surface beyond completions themselves: GET /v1/models/{id}, refused parameters, stream usage, limits cited.</summary>
[Collection(HostCollection.Name)]
public sealed class OpenAiSurfaceTests(HostFixture fixture)
{
    [Fact]
    public async Task GetModelById_ReturnsEachServedModel_UnknownIs404ModelNotFound()
    {
        await using var server = await fixture.StartAsync();

        foreach (var id in new[] { EngineBackend.RoutedModel, HostFixture.SmallName, HostFixture.LargeName })
        {
            using var response = await server.Client.GetAsync($"/v1/models/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var model = await response.ReadObjectAsync();
            Assert.Equal(id, (string)model["id"]!);
            Assert.Equal("model", (string)model["object"]!);
            Assert.Equal("ascendaio", (string)model["owned_by"]!);
        }
        using var unknown = await server.Client.GetAsync("/v1/models/org/gpt-4");
        var error = await ErrorTests.AssertErrorAsync(unknown, HttpStatusCode.NotFound, "invalid_request_error");
        Assert.Equal("model_not_found", (string)error["code"]!);
        Assert.Contains("'org/gpt-4'", (string)error["message"]!);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"parameters\":{}}}]", "tools")]
    [InlineData("/v1/chat/completions", "\"tool_choice\":\"required\"", "tool_choice")]
    [InlineData("/v1/chat/completions", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}", "tool_choice")]
    [InlineData("/v1/chat/completions", "\"functions\":[{\"name\":\"weather\",\"parameters\":{}}]", "functions")]
    [InlineData("/v1/chat/completions", "\"function_call\":{\"name\":\"weather\"}", "function_call")]
    [InlineData("/v1/chat/completions", "\"response_format\":{\"type\":\"json_object\"}", "response_format")]
    [InlineData("/v1/chat/completions", "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{}}}", "response_format")]
    [InlineData("/v1/chat/completions", "\"n\":2", "n")]
    [InlineData("/v1/completions", "\"echo\":true", "echo")]
    [InlineData("/v1/completions", "\"best_of\":3", "best_of")]
    [InlineData("/v1/completions", "\"prompt\":[\"one\",\"two\"]", "prompt")]
    [InlineData("/v1/completions", "\"prompt\":[1,2,3]", "prompt")]
    public async Task UnsupportedParameter_Returns400NamingIt_NeverIgnored(string path, string field, string param)
    {
        await using var server = await fixture.StartAsync();
        var body = Body(path, field);

        using var response = await server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, (string)error["param"]!);
        Assert.Contains(param, (string)error["message"]!);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "\"tools\":[]")]
    [InlineData("/v1/chat/completions", "\"tools\":null,\"tool_choice\":\"none\"")]
    [InlineData("/v1/chat/completions", "\"tool_choice\":\"auto\"")]
    [InlineData("/v1/chat/completions", "\"response_format\":{\"type\":\"text\"}")]
    [InlineData("/v1/chat/completions", "\"logprobs\":false,\"top_logprobs\":0")]
    [InlineData("/v1/completions", "\"logprobs\":null,\"echo\":false,\"best_of\":1")]
    public async Task UnsupportedParameter_InItsOffValue_IsAccepted(string path, string field)
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostAsync(path, new StringContent(Body(path, field), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/completions")]
    public async Task Streaming_WithIncludeUsage_EndsWithAUsageChunkWithoutChoices_BeforeDone(string path)
    {
        await using var server = await fixture.StartAsync();
        var chat = path.Contains("chat", StringComparison.Ordinal);
        object body = chat
            ? new { model = HostFixture.LargeName, messages = new[] { new { role = "user", content = "count:" } }, max_tokens = 6, stream = true, stream_options = new { include_usage = true } }
            : new { model = HostFixture.LargeName, prompt = "count:", max_tokens = 6, stream = true, stream_options = new { include_usage = true } };

        using var response = await server.Client.PostStreamAsync(path, body);
        var events = await response.ReadEventsAsync().ToListAsync();

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(6, (int)usageChunk["usage"]!["completion_tokens"]!);
        Assert.True((int)usageChunk["usage"]!["prompt_tokens"]! > 0);
        // Only that chunk carries the usage; the one before it has the finish reason and the route.
        Assert.All(chunks[..^1], c => Assert.Null(c["usage"]));
        Assert.Equal("length", (string)chunks[^2]["choices"]![0]!["finish_reason"]!);
        Assert.NotNull(chunks[^2]["aio"]);
    }

    [Fact]
    public async Task ChatPromptOverTheConfiguredLimit_NamesMessages_AndCitesTheLimitFirst()
    {
        // 10 tokens: under both models' contexts, so the configured limit is the one to cite.
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxPromptTokens = 10 } });
        var longPrompt = string.Concat(Enumerable.Repeat("zq xv ", 1200));

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions", new { model = HostFixture.SmallName, messages = new[] { new { role = "user", content = longPrompt } } });

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("context_length_exceeded", (string)error["code"]!);
        Assert.Equal("messages", (string)error["param"]!);
        Assert.Contains("more than 10 tokens", (string)error["message"]!);
        Assert.Contains("limits:maxPromptTokens", (string)error["message"]!);
    }

    [Fact]
    public async Task ChatPromptOverTheModelContext_UnderAHigherConfiguredLimit_NamesMessages_AndCitesTheContext()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxPromptTokens = 10_000, MaxRequestBytes = 1 << 20 } });
        var longPrompt = string.Concat(Enumerable.Repeat("zq xv ", 1200));

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions", new { model = HostFixture.LargeName, messages = new[] { new { role = "user", content = longPrompt } } });

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("messages", (string)error["param"]!);
        Assert.Contains($"context is {HostFixture.LargeContext} tokens", (string)error["message"]!);
    }

    [Fact]
    public async Task RefusedRequests_LeaveTheQueue_AtOnce()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxPromptTokens = 10, ConcurrentSequences = 1, QueueLength = 0 } });

        // The only place is taken and given back by each refused prompt: the next request still gets it.
        for (var i = 0; i < 3; i++)
        {
            using var refused = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt = string.Concat(Enumerable.Repeat("zq xv ", 50)) });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using var served = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt = "hi", max_tokens = 2 });

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        await Eventually.WaitAsync(() => server.Server.Scheduler.Running + server.Server.Scheduler.Waiting == 0);
        Assert.Equal(0, server.Server.Scheduler.Running + server.Server.Scheduler.Waiting);
    }

    private static string Body(string path, string field) => path.Contains("chat", StringComparison.Ordinal)
        ? $"{{\"model\":\"{HostFixture.SmallName}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],\"max_tokens\":2,{field}}}"
        : field.StartsWith("\"prompt\"", StringComparison.Ordinal)
            ? $"{{\"model\":\"{HostFixture.SmallName}\",\"max_tokens\":2,{field}}}"
            : $"{{\"model\":\"{HostFixture.SmallName}\",\"prompt\":\"hi\",\"max_tokens\":2,{field}}}";
}
