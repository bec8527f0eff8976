using System.ClientModel;
using System.Text;
using AscendAio.Host.Backends;
using AscendAio.Host.OpenAi;
using OpenAI;
using OpenAI.Chat;

namespace AscendAio.Host.Tests;

/// <summary>`aio serve` as its users call it: the official OpenAI .NET SDK against the server on a loopback port.</summary>
[Collection(HostCollection.Name)]
public sealed class OpenAiSdkTests(HostFixture fixture)
{
    [Fact]
    public async Task Models_ListAndGetById_AsTheSdkReadsThem_UnknownIs404()
    {
        await using var server = await fixture.StartAsync();
        var models = Client(server).GetOpenAIModelClient();

        var list = (await models.GetModelsAsync()).Value;
        var one = (await models.GetModelAsync(HostFixture.LargeName)).Value;
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("gpt-4"));

        Assert.Equal([EngineBackend.RoutedModel, HostFixture.SmallName, HostFixture.LargeName], list.Select(m => m.Id));
        Assert.Equal(HostFixture.LargeName, one.Id);
        Assert.Equal("ascendaio", one.OwnedBy);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Chat_ReturnsTheEnginesText_AndUsage()
    {
        await using var server = await fixture.StartAsync();
        var chat = Client(server).GetChatClient(HostFixture.SmallName);
        var expected = Http.Expected(fixture, new RequestReader(fixture.Options.Limits).Chat(HostFixture.SmallName,
            [new("system", "Be brief."), new("user", "What is the capital of France?")], 8, "max_tokens", null, null, null, [], null, null));

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("What is the capital of France?")],
            new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        Assert.Equal(expected.Text, completion.Content.Single().Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(HostFixture.SmallName, completion.Model);
        Assert.Equal(expected.Metrics.PromptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(expected.Tokens.Length, completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task ChatStreaming_AddsUpToTheWholeAnswer_EndsWithFinishReasonAndUsage()
    {
        await using var server = await fixture.StartAsync();
        var chat = Client(server).GetChatClient(HostFixture.LargeName);
        List<OpenAI.Chat.ChatMessage> messages = [new UserChatMessage("count: one two")];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 10 };

        ChatCompletion whole = await chat.CompleteChatAsync(messages, options);
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content.Single().Text, text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(10, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Errors_ReachTheSdkWithStatusAndMessage()
    {
        await using var server = await fixture.StartAsync();
        var client = Client(server);

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => client.GetChatClient("gpt-4").CompleteChatAsync([new UserChatMessage("hi")]));
        var tools = await Assert.ThrowsAsync<ClientResultException>(() => client.GetChatClient(HostFixture.SmallName).CompleteChatAsync(
            [new UserChatMessage("weather?")], new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("weather", "the weather") } }));

        Assert.Equal(404, unknown.Status);
        Assert.Contains("gpt-4", unknown.Message);
        Assert.Equal(400, tools.Status);
        Assert.Contains("'tools' is not supported", tools.Message);
    }

    [Fact]
    public async Task LogProbabilities_ReachTheSdk_OnePerOutputToken_WithTheAskedAlternatives()
    {
        await using var server = await fixture.StartAsync();
        var chat = Client(server).GetChatClient(HostFixture.SmallName);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("def add(a, b):")],
            new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2, MaxOutputTokenCount = 5 });

        Assert.Equal(completion.Usage.OutputTokenCount, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, entry =>
        {
            Assert.Equal(2, entry.TopLogProbabilities.Count);
            Assert.Equal(entry.Token, entry.TopLogProbabilities[0].Token);
            Assert.True(entry.LogProbability <= 0);
        });
        var bytes = completion.ContentTokenLogProbabilities.SelectMany(e => (e.Utf8Bytes ?? ReadOnlyMemory<byte>.Empty).ToArray()).ToArray();
        Assert.Equal(completion.Content.Single().Text, System.Text.Encoding.UTF8.GetString(bytes));
    }

    private static OpenAIClient Client(TestServer server) =>
        new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.Server.Urls[0] + "/v1") });
}
