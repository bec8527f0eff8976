using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AscendAio.Host.Tests;

/// <summary>
/// Client and transport faults through the real Kestrel pipeline on a loopback port: each is a 4xx in OpenAI's error
/// shape (or, for a client that is gone, nothing), never a 500, never an error log with a stack trace, never counted
/// as a server failure.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ClientFaultTests(HostFixture fixture)
{
    public static TheoryData<string, byte[], string> BadText => new()
    {
        // Bytes that are not UTF-8 in the prompt, in a chat message, in a string field read straight into .NET.
        { "/v1/completions", Bytes("{\"model\":\"acme-mini\",\"prompt\":\"caf", [0xC3, 0x28, 0xFF], "\"}"), "prompt" },
        { "/v1/chat/completions", Bytes("{\"model\":\"acme-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"", [0xFE, 0xFF], "\"}]}"), "messages[0].content" },
        { "/v1/completions", Bytes("{\"model\":\"acme-", [0xFF], "\",\"prompt\":\"hi\"}"), "model" },
        // An escaped lone surrogate: valid JSON, not valid text.
        { "/v1/completions", Encoding.UTF8.GetBytes("{\"model\":\"acme-mini\",\"prompt\":\"a\\ud800b\"}"), "prompt" },
        { "/v1/completions", Encoding.UTF8.GetBytes("{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"stop\":[\"\\udc00\"]}"), "stop[0]" },
    };

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task InvalidTextInTheBody_Returns400InvalidRequest_NoErrorLog(string path, byte[] body, string param)
    {
        var logs = new LogCapture();
        await using var server = await fixture.StartAsync(logs: logs);
        await using var raw = await RawHttp.ConnectAsync(server.Server.Urls[0]);

        await raw.SendPostAsync(path, body.Length, body);
        var response = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(response);
        Assert.Equal(400, response.Value.Status);
        var error = JsonNode.Parse(response.Value.Body)!["error"]!;
        Assert.Equal("invalid_request_error", (string)error["type"]!);
        Assert.Equal("invalid_encoding", (string)error["code"]!);
        if (param.Length > 0)
            Assert.Equal(param, (string)error["param"]!);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task BodyOverTheLimit_Returns413BeforeTheBodyIsSent()
    {
        await using var server = await fixture.StartAsync(o => o with { Limits = o.Limits with { MaxRequestBytes = 4096 } });
        await using var raw = await RawHttp.ConnectAsync(server.Server.Urls[0]);

        // Headers promising 10 MB and not one byte of the body: the answer cannot depend on reading it.
        await raw.SendPostAsync("/v1/completions", 10_000_000, []);
        var response = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(response);
        Assert.Equal(413, response.Value.Status);
        var error = JsonNode.Parse(response.Value.Body)!["error"]!;
        Assert.Equal("invalid_request_error", (string)error["type"]!);
        Assert.Equal("request_too_large", (string)error["code"]!);
        Assert.Contains("4,096 bytes", (string)error["message"]!);
    }

    [Fact]
    public async Task BodyOverTheDerivedLimit_FromAClient_Returns413()
    {
        // The fixture allows 100 prompt tokens: 100 * 32 bytes + 64 KiB.
        await using var server = await fixture.StartAsync();
        var prompt = new string('a', 200_000);

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt });

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request_error");
        Assert.Contains("limits:maxPromptTokens", (string)error["message"]!);
    }

    [Fact]
    public async Task BodyArrivingTooSlowly_Returns408_NotAFailure()
    {
        var logs = new LogCapture();
        await using var server = await fixture.StartAsync(logs: logs);
        await using var raw = await RawHttp.ConnectAsync(server.Server.Urls[0]);

        // 10 of 1000 promised bytes, then nothing: below Kestrel's minimum body data rate once its 5 s grace is over.
        await raw.SendPostAsync("/v1/completions", 1000, Encoding.UTF8.GetBytes("{\"model\":\"a"));
        var response = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(response);
        Assert.Equal(408, response.Value.Status);
        var metrics = await server.Client.GetStringAsync("/metrics");
        PrometheusAssert.IsZero(metrics, "aio_requests_failed_total");
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error || e.Exception is not null && e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task UploadCutOffByTheClient_IsCountedAsAborted_NotAFailure_LoggedAtDebugWithoutStackTrace()
    {
        var logs = new LogCapture();
        await using var server = await fixture.StartAsync(logs: logs);
        for (var i = 0; i < 3; i++)
        {
            await using var raw = await RawHttp.ConnectAsync(server.Server.Urls[0]);
            await raw.SendPostAsync("/v1/completions", 1000, Encoding.UTF8.GetBytes("{\"model\":\"acme-mini\",\"prompt\":\"half"));
        }

        var metrics = await server.Client.MetricsOnceAsync("aio_requests_aborted_total 3");

        PrometheusAssert.HasSample(metrics, "aio_requests_aborted_total 3");
        PrometheusAssert.IsZero(metrics, "aio_requests_failed_total");
        Assert.Contains("aio_requests_total{endpoint=\"completions\",model=\"\",status=\"499\"} 3", metrics);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(logs.Entries, e => e.Exception is not null && e.Category.StartsWith("AscendAio", StringComparison.Ordinal));
        Assert.Equal(3, logs.Entries.Count(e => e.Level == LogLevel.Debug && e.Category == "AscendAio.Host" && e.Message.Contains("did not arrive whole")));
    }

    [Theory]
    [InlineData("/v1/completions", "{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"max_tokens\":\"many\"}", "max_tokens", "'max_tokens' must be an integer")]
    [InlineData("/v1/completions", "{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"temperature\":\"hot\"}", "temperature", "'temperature' must be a number")]
    [InlineData("/v1/completions", "{\"model\":\"acme-mini\",\"prompt\":\"hi\",\"stream\":\"yes\"}", "stream", "'stream' must be true or false")]
    [InlineData("/v1/completions", "{\"model\":7,\"prompt\":\"hi\"}", "model", "'model' must be a string")]
    [InlineData("/v1/chat/completions", "{\"model\":\"acme-mini\",\"messages\":[{\"role\":5,\"content\":\"hi\"}]}", "messages[0].role", "'messages[0].role' must be a string")]
    [InlineData("/v1/chat/completions", "{\"model\":\"acme-mini\",\"messages\":{\"role\":\"user\"}}", "messages", "'messages' must be an array")]
    [InlineData("/v1/chat/completions", "{\"model\":\"acme-mini\",\"messages\":[\"hi\"]}", "messages[0]", "'messages[0]' must be an object")]
    [InlineData("/v1/chat/completions", "{\"model\":\"acme-mini\",\"messages\":[],\"stream_options\":{\"include_usage\":1}}", "stream_options.include_usage", "'stream_options.include_usage' must be true or false")]
    public async Task WrongJsonType_NamesTheFieldAndTheExpectedTypeInWords(string path, string json, string param, string message)
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, (string)error["param"]!);
        Assert.Equal(message, (string)error["message"]!);
        Assert.DoesNotContain("System.", (string)error["message"]!);
    }

    private static byte[] Bytes(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];
}
