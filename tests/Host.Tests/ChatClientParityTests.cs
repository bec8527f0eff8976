using System.ClientModel;
using System.Text.Json.Nodes;
using AscendAio.Host.Backends;
using AscendAio.Host.InProcess;
using AscendAio.Host.OpenAi;
using Microsoft.Extensions.AI;
using OpenAI;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AscendAio.Host.Tests;

/// <summary>
/// The same chat cases through two Microsoft.Extensions.AI clients: the OpenAI adapter (Microsoft.Extensions.AI.OpenAI
/// over the official OpenAI SDK) talking HTTP to `aio serve`, and <see cref="AioChatClient"/> in process. Both must give
/// the same text, finish reason and usage, and refuse the same requests naming the same parameter.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ChatClientParityTests(HostFixture fixture)
{
    public sealed record Case(string Name, string Model, ChatMessage[] Messages, ChatOptions Options)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<string> Cases => new() { "pinned-small", "pinned-large-stop", "routed", "sampled-seeded", "instructions" };

    public static TheoryData<string, string> Refusals => new()
    {
        { "unknown-model", "model" },
        { "tools", "tools" },
        { "json-format", "response_format" },
        { "too-many-tokens", "max_completion_tokens" },
        { "temperature", "temperature" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Response_InProcess_EqualsOverHttp(string name)
    {
        var c = Build(name);
        await using var server = await fixture.StartAsync();
        using var http = OverHttp(server, c.Model);
        using var local = InProcess();

        var remote = await http.GetResponseAsync(c.Messages, c.Options.Clone());
        var inProcess = await local.GetResponseAsync(c.Messages, c.Options.Clone());

        Assert.False(string.IsNullOrEmpty(inProcess.Text));
        Assert.Equal(remote.Text, inProcess.Text);
        Assert.Equal(remote.FinishReason, inProcess.FinishReason);
        Assert.Equal(remote.Usage!.InputTokenCount, inProcess.Usage!.InputTokenCount);
        Assert.Equal(remote.Usage.OutputTokenCount, inProcess.Usage.OutputTokenCount);
        Assert.Equal(remote.ModelId, inProcess.ModelId);
        var route = Assert.IsType<RouteInfo>(inProcess.AdditionalProperties![AioChatClient.RouteKey]);
        Assert.Equal(c.Model == EngineBackend.RoutedModel ? null : c.Model, c.Model == EngineBackend.RoutedModel ? null : route.Model);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Streaming_InProcess_EqualsOverHttp_AndEqualsTheWholeResponse(string name)
    {
        var c = Build(name);
        await using var server = await fixture.StartAsync();
        using var http = OverHttp(server, c.Model);
        using var local = InProcess();

        var remote = await http.GetStreamingResponseAsync(c.Messages, c.Options.Clone()).ToChatResponseAsync();
        var updates = await local.GetStreamingResponseAsync(c.Messages, c.Options.Clone()).ToListAsync();
        var inProcess = updates.ToChatResponse();
        var whole = await local.GetResponseAsync(c.Messages, c.Options.Clone());

        Assert.Equal(remote.Text, inProcess.Text);
        Assert.Equal(whole.Text, inProcess.Text);
        Assert.Equal(remote.FinishReason, inProcess.FinishReason);
        Assert.Equal(remote.Usage!.OutputTokenCount, inProcess.Usage!.OutputTokenCount);
        Assert.Equal(remote.Usage.InputTokenCount, inProcess.Usage.InputTokenCount);
        Assert.IsType<RouteInfo>(updates[^1].AdditionalProperties![AioChatClient.RouteKey]);
    }

    [Fact]
    public async Task PinnedResponse_IsTheEnginesOwnGeneration()
    {
        using var local = InProcess();
        var messages = new[] { new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "What is the capital of France?") };
        var request = new RequestReader(fixture.Options.Limits).Chat(HostFixture.SmallName,
            [new("system", "Be brief."), new("user", "What is the capital of France?")], 8, "max_tokens", null, null, null, [], null, null);
        var expected = Http.Expected(fixture, request);

        var response = await local.GetResponseAsync(messages, new ChatOptions { ModelId = HostFixture.SmallName, MaxOutputTokens = 8 });

        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(expected.Metrics.PromptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(expected.Tokens.Length, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task RoutedResponse_CarriesTheRouteDecision_StrategyOptionPinsTheStrategy()
    {
        using var local = InProcess();
        var messages = new[] { new ChatMessage(ChatRole.User, "def add(a, b):") };

        var routed = await local.GetResponseAsync(messages, new ChatOptions { ModelId = EngineBackend.RoutedModel, MaxOutputTokens = 4 });
        var pld = await local.GetResponseAsync(messages, new ChatOptions
        {
            ModelId = HostFixture.LargeName,
            MaxOutputTokens = 4,
            AdditionalProperties = new() { [AioChatClient.StrategyKey] = "pld" },
        });

        var route = Assert.IsType<RouteInfo>(routed.AdditionalProperties![AioChatClient.RouteKey]);
        Assert.Contains(route.Model, new[] { HostFixture.SmallName, HostFixture.LargeName });
        Assert.NotNull(route.Entropy);
        Assert.NotNull(route.Category);
        Assert.Equal("pld", Assert.IsType<RouteInfo>(pld.AdditionalProperties![AioChatClient.RouteKey]).Strategy);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusal_InProcess_NamesTheSameParameterAsOverHttp(string name, string param)
    {
        var c = Build(name);
        await using var server = await fixture.StartAsync();
        using var http = OverHttp(server, c.Model);
        using var local = InProcess();

        var remote = await Assert.ThrowsAsync<ClientResultException>(() => http.GetResponseAsync(c.Messages, c.Options.Clone()));
        var inProcess = await Assert.ThrowsAsync<CompletionRequestException>(() => local.GetResponseAsync(c.Messages, c.Options.Clone()));
        var streamed = await Assert.ThrowsAsync<CompletionRequestException>(async () => await local.GetStreamingResponseAsync(c.Messages, c.Options.Clone()).ToListAsync());

        var error = JsonNode.Parse(remote.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal(param, (string)error["param"]!);
        Assert.Equal(param, inProcess.Param);
        Assert.Equal(param, streamed.Param);
        Assert.Equal(remote.Status, inProcess.Status);
        Assert.Equal((string)error["code"]!, inProcess.Code);
    }

    private AioChatClient InProcess() => new(fixture.Backend, fixture.Options.Limits);

    private static IChatClient OverHttp(TestServer server, string model) =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.Server.Urls[0] + "/v1") })
            .GetChatClient(model).AsIChatClient();

    private static Case Build(string name)
    {
        ChatMessage[] ask = [new(ChatRole.User, "What is the capital of France?")];
        return name switch
        {
            "pinned-small" => new(name, HostFixture.SmallName, [new(ChatRole.System, "Be brief."), .. ask], new ChatOptions { ModelId = HostFixture.SmallName, MaxOutputTokens = 8 }),
            "pinned-large-stop" => new(name, HostFixture.LargeName, ask, new ChatOptions { ModelId = HostFixture.LargeName, MaxOutputTokens = 12, StopSequences = ["e"] }),
            "routed" => new(name, EngineBackend.RoutedModel, [new(ChatRole.User, "def add(a, b):")], new ChatOptions { ModelId = EngineBackend.RoutedModel, MaxOutputTokens = 6 }),
            "sampled-seeded" => new(name, HostFixture.SmallName, ask, new ChatOptions { ModelId = HostFixture.SmallName, MaxOutputTokens = 8, Temperature = 0.9f, TopP = 0.9f, Seed = 1234 }),
            "instructions" => new(name, HostFixture.SmallName, ask, new ChatOptions { ModelId = HostFixture.SmallName, MaxOutputTokens = 8, Instructions = "Answer in one word." }),
            "unknown-model" => new(name, "gpt-4", ask, new ChatOptions { ModelId = "gpt-4", MaxOutputTokens = 4 }),
            "tools" => new(name, HostFixture.SmallName, ask, new ChatOptions { ModelId = HostFixture.SmallName, Tools = [AIFunctionFactory.Create(() => "sunny", "weather")] }),
            "json-format" => new(name, HostFixture.SmallName, ask, new ChatOptions { ModelId = HostFixture.SmallName, ResponseFormat = ChatResponseFormat.Json }),
            "too-many-tokens" => new(name, HostFixture.SmallName, ask, new ChatOptions { ModelId = HostFixture.SmallName, MaxOutputTokens = 10_000 }),
            _ => new(name, HostFixture.SmallName, ask, new ChatOptions { ModelId = HostFixture.SmallName, Temperature = 3 }),
        };
    }
}
