using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AscendAio.Host.Backends;

namespace AscendAio.Host.Tests;

/// <summary>
/// logprobs / top_logprobs on both endpoints, whole and streamed, pinned and routed: one entry per generated token whose
/// bytes spell the returned text, the requested number of alternatives most likely first, the chosen token the
/// likeliest when greedy; out-of-range values are 400s naming the field.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class LogprobsTests(HostFixture fixture)
{
    [Theory]
    [InlineData(HostFixture.SmallName)]
    [InlineData(EngineBackend.RoutedModel)]
    public async Task Chat_WithLogprobs_HasAnEntryPerToken_WhoseBytesSpellTheContent(string model)
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions", new
        {
            model, messages = new[] { new { role = "user", content = "def add(a, b):" } }, max_tokens = 7, logprobs = true, top_logprobs = 3,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        var choice = body["choices"]![0]!;
        var content = choice["logprobs"]!["content"]!.AsArray();
        Assert.Equal((int)body["usage"]!["completion_tokens"]!, content.Count);
        // Special tokens (the tiny tokenizer writes them <|name|>) keep their entry but are left out of the text, as decoding skips them.
        var bytes = content.Where(e => !IsSpecial((string)e!["token"]!)).SelectMany(e => e!["bytes"]!.AsArray().Select(b => (byte)(int)b!)).ToArray();
        Assert.Equal((string)choice["message"]!["content"]!, Encoding.UTF8.GetString(bytes));
        foreach (var entry in content)
        {
            var top = entry!["top_logprobs"]!.AsArray();
            Assert.Equal(3, top.Count);
            Assert.True((double)entry["logprob"]! <= 0);
            Assert.Equal((string)entry["token"]!, (string)top[0]!["token"]!);   // greedy picks the likeliest
            Assert.Equal((double)entry["logprob"]!, (double)top[0]!["logprob"]!, 6);
            Assert.True((double)top[0]!["logprob"]! >= (double)top[1]!["logprob"]! && (double)top[1]!["logprob"]! >= (double)top[2]!["logprob"]!);
        }
        if (model == EngineBackend.RoutedModel)
            Assert.Equal("plain", (string)body["aio"]!["strategy"]!);   // log probabilities decode plain, whatever the policy picks
    }

    [Fact]
    public async Task Chat_Streamed_WithLogprobs_CarriesEachTokensEntryOnce_AcrossTheChunks()
    {
        await using var server = await fixture.StartAsync();
        var request = new { model = HostFixture.LargeName, messages = new[] { new { role = "user", content = "count: 1 2 3" } }, max_tokens = 8, logprobs = true };

        using var whole = await server.Client.PostJsonAsync("/v1/chat/completions", request);
        var expected = (await whole.ReadObjectAsync())["choices"]![0]!["logprobs"]!["content"]!.AsArray();
        using var streamed = await server.Client.PostStreamAsync("/v1/chat/completions", new
        {
            request.model, request.messages, request.max_tokens, request.logprobs, stream = true,
        });
        var chunks = (await streamed.ReadEventsAsync().ToListAsync())[..^1].Select(e => JsonNode.Parse(e)!).ToList();

        var entries = chunks.SelectMany(c => c["choices"]![0]!["logprobs"]?["content"]?.AsArray() ?? []).ToList();
        Assert.Equal(8, expected.Count);
        Assert.Equal(expected.Select(e => (string)e!["token"]!), entries.Select(e => (string)e!["token"]!));
        Assert.Equal(expected.Select(e => (double)e!["logprob"]!), entries.Select(e => (double)e!["logprob"]!));
        Assert.All(entries, e => Assert.Empty(e!["top_logprobs"]!.AsArray()));   // top_logprobs left out: none
    }

    [Fact]
    public async Task Completion_WithLogprobs_ListsTokensLogprobsAlternativesAndOffsetsFromThePromptsStart()
    {
        await using var server = await fixture.StartAsync();
        const string prompt = "The sum of 2 and 2 is";

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallName, prompt, max_tokens = 6, logprobs = 2 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = (await response.ReadObjectAsync())["choices"]![0]!;
        var logprobs = choice["logprobs"]!;
        var tokens = logprobs["tokens"]!.AsArray().Select(t => (string)t!).ToList();
        var offsets = logprobs["text_offset"]!.AsArray().Select(o => (int)o!).ToList();
        Assert.Equal(6, tokens.Count);
        Assert.Equal(6, logprobs["token_logprobs"]!.AsArray().Count);
        Assert.Equal((string)choice["text"]!, string.Concat(tokens.Where(t => !IsSpecial(t))));
        Assert.Equal(prompt.Length, offsets[0]);
        for (var i = 1; i < tokens.Count; i++)
            Assert.Equal(offsets[i - 1] + (IsSpecial(tokens[i - 1]) ? 0 : tokens[i - 1].Length), offsets[i]);
        var top = logprobs["top_logprobs"]!.AsArray();
        Assert.All(top, alternatives => Assert.InRange(alternatives!.AsObject().Count, 1, 2));
        Assert.Equal((double)logprobs["token_logprobs"]![0]!, (double)top[0]!.AsObject()[tokens[0]]!, 6);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "\"top_logprobs\":2", "top_logprobs", "needs 'logprobs'")]
    [InlineData("/v1/chat/completions", "\"logprobs\":true,\"top_logprobs\":21", "top_logprobs", "[0, 20]")]
    [InlineData("/v1/chat/completions", "\"logprobs\":\"yes\"", "logprobs", "boolean")]
    [InlineData("/v1/completions", "\"logprobs\":6", "logprobs", "[0, 5]")]
    [InlineData("/v1/completions", "\"logprobs\":true", "logprobs", "integer")]
    public async Task LogprobsOutOfRange_Is400NamingTheField(string path, string field, string param, string says)
    {
        await using var server = await fixture.StartAsync();
        var body = path.Contains("chat", StringComparison.Ordinal)
            ? $"{{\"model\":\"{HostFixture.SmallName}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],{field}}}"
            : $"{{\"model\":\"{HostFixture.SmallName}\",\"prompt\":\"hi\",{field}}}";

        using var response = await server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, (string)error["param"]!);
        Assert.Contains(says, (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogprobsWithAPinnedSpeculativeStrategy_OnAPinnedModel_Is400NamingTheStrategy()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.LargeName, prompt = "hi", logprobs = 1, strategy = "pld" });

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("strategy", (string)error["param"]!);
        Assert.Contains("log probabilities", (string)error["message"]!, StringComparison.Ordinal);
    }

    private static bool IsSpecial(string token) => token.StartsWith("<|", StringComparison.Ordinal) && token.EndsWith("|>", StringComparison.Ordinal);
}
