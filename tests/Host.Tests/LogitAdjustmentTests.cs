using System.Net;
using System.Text;
using AscendAio.Host.Backends;

namespace AscendAio.Host.Tests;

/// <summary>presence_penalty, frequency_penalty, logit_bias and suffix through the HTTP surface: applied, or a 400 naming the field.</summary>
[Collection(HostCollection.Name)]
public sealed class LogitAdjustmentTests(HostFixture fixture)
{
    [Theory]
    [InlineData(HostFixture.SmallName)]
    [InlineData(EngineBackend.RoutedModel)]
    public async Task LogitBias_ForcesItsToken_EveryGeneratedToken(string model)
    {
        await using var server = await fixture.StartAsync();
        var tokenizer = fixture.Models.Small!.Tokenizer;
        var a = tokenizer.TokenToId("a")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var b = tokenizer.TokenToId("b")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var forcedA = await Completion(server, new { model, prompt = "x = 1", max_tokens = 4, logit_bias = new Dictionary<string, int> { [a] = 100 } });
        var forcedB = await Completion(server, new { model, prompt = "x = 1", max_tokens = 4, logit_bias = new Dictionary<string, int> { [b] = 100, [a] = -100 } });

        Assert.Equal("aaaa", (string)forcedA["choices"]![0]!["text"]!);
        Assert.Equal("bbbb", (string)forcedB["choices"]![0]!["text"]!);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "\"presence_penalty\":2.5", "presence_penalty")]
    [InlineData("/v1/chat/completions", "\"frequency_penalty\":-3", "frequency_penalty")]
    [InlineData("/v1/chat/completions", "\"logit_bias\":{\"abc\":1}", "logit_bias")]
    [InlineData("/v1/completions", "\"logit_bias\":{\"5\":101}", "logit_bias")]
    [InlineData("/v1/completions", "\"logit_bias\":{\"99999999\":1}", "logit_bias")]
    [InlineData("/v1/completions", "\"suffix\":\"return x\"", "suffix")]
    public async Task OutOfRangeOrUnsupported_Is400NamingTheField(string path, string field, string param)
    {
        await using var server = await fixture.StartAsync();
        var body = path.Contains("chat", StringComparison.Ordinal)
            ? $"{{\"model\":\"{HostFixture.SmallName}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],{field}}}"
            : $"{{\"model\":\"{HostFixture.SmallName}\",\"prompt\":\"hi\",{field}}}";

        using var response = await server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, (string)error["param"]!);
    }

    [Fact]
    public async Task FrequencyPenalty_WearsDownARepeatedToken_AndAnEmptySuffixIsAccepted()
    {
        await using var server = await fixture.StartAsync();
        var a = fixture.Models.Large!.Tokenizer.TokenToId("a")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bias = new Dictionary<string, int> { [a] = 10 };   // enough to win every step of the random tiny model

        var repeated = await Completion(server, new { model = HostFixture.LargeName, prompt = "x", max_tokens = 16, logit_bias = bias, suffix = "" });
        var penalised = await Completion(server, new { model = HostFixture.LargeName, prompt = "x", max_tokens = 16, logit_bias = bias, frequency_penalty = 2.0 });

        Assert.Equal(new string('a', 16), (string)repeated["choices"]![0]!["text"]!);
        // Each occurrence costs 2: after a few, the bias of 10 no longer wins.
        var text = (string)penalised["choices"]![0]!["text"]!;
        Assert.StartsWith("a", text, StringComparison.Ordinal);
        Assert.InRange(text.Count(c => c == 'a'), 1, 12);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> Completion(TestServer server, object body)
    {
        using var response = await server.Client.PostJsonAsync("/v1/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }
}
