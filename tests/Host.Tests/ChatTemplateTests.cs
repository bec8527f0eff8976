using System.Net;
using System.Text.Json;
using AscendAio.Host.Backends;
using AscendAio.Host.OpenAi;
using AscendAio.TestSupport;

namespace AscendAio.Host.Tests;

/// <summary>
/// /v1/chat/completions on models with real chat templates: the prompt's token ids equal the reference's
/// (tests/Reference/templates/chat-prompts.mjs), and a template that refuses the messages is the client's error.
/// </summary>
[Collection(HostCollection.Name)] // one device-heavy host fixture at a time
public sealed class ChatTemplateTests(ChatHostFixture fixture) : IClassFixture<ChatHostFixture>
{
    public static TheoryData<string, string> Models => new() { { "qwen3", "qwen3" }, { "llama3_1", "llama3_1" }, { "qwen2_5", "qwen2_5" } };

    [Theory]
    [MemberData(nameof(Models))]
    public void ChatRequest_PromptTokens_EqualTheReferenceIds(string model, string tokenizer)
    {
        var reader = new RequestReader(fixture.Options.Limits);
        foreach (var c in ReferenceChatPrompts.Cases(tokenizer))
        {
            // The body as a client sends it, through the same reader and backend as the endpoint.
            var json = JsonSerializer.Serialize(new { model, messages = c.Messages.Select(m => new { role = m.Role, content = m.Content }) });
            var body = JsonSerializer.Deserialize<ChatCompletionBody>(json, OpenAiJson.Options)!;
            var (request, _) = reader.Read(body);

            var prepared = fixture.BackendFor(model).Prepare(request);

            Assert.Equal(c.Ids, prepared.PromptTokens);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ChatCompletion_OverHttp_CountsTheReferencesPromptTokens(string model, string tokenizer)
    {
        var c = ReferenceChatPrompts.Cases(tokenizer).Single(x => x.Name == "system_user");
        await using var server = await fixture.StartAsync(fixture.BackendFor(model));

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions",
            new { model, messages = c.Messages.Select(m => new { role = m.Role, content = m.Content }), max_tokens = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadObjectAsync();
        Assert.Equal(c.Ids.Length, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal("assistant", (string)result["choices"]![0]!["message"]!["role"]!);
    }

    [Fact]
    public async Task RoutedChat_RunsTheInstructProbe_AndServes()
    {
        await using var server = await fixture.StartAsync(fixture.Backend);

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions",
            new { model = "aio", messages = new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Write a loop in Python." } }, max_tokens = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var aio = (await response.ReadObjectAsync())["aio"]!;
        Assert.Contains((string)aio["category"]!, new[] { "code", "qa", "math" });
        Assert.True((double)aio["entropy"]! >= 0);
    }

    [Fact]
    public async Task UnknownRole_WhereTheTemplateRaises_Returns400WithTheTemplatesMessage()
    {
        await using var server = await fixture.StartAsync(fixture.RoleCheckingBackend);

        using var response = await server.Client.PostJsonAsync("/v1/chat/completions",
            new { model = "role-checking", messages = new[] { new { role = "robot", content = "beep" } }, max_tokens = 2 });

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("messages", (string)error["param"]!);
        Assert.Contains("Unknown role: robot", (string)error["message"]!);
        Assert.StartsWith("role-checking's chat template", (string)error["message"]!);   // the served name, as the client wrote it

        // The same server still answers a chat the template accepts.
        using var ok = await server.Client.PostJsonAsync("/v1/chat/completions",
            new { model = "role-checking", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public void UnknownRole_OnAModelWithAChatTemplateThatAcceptsIt_IsRenderedByTheTemplate()
    {
        // Llama 3.1's template writes any role into its header (e.g. "ipython"); the OpenAI role list no longer filters it.
        var request = new CompletionRequest { Model = "llama3_1", Prompt = "42", Messages = [new("user", "run it"), new("ipython", "42")] };

        var prepared = fixture.Backend.Prepare(request);

        var text = fixture.Large.Tokenizer.Decode(prepared.PromptTokens);
        Assert.Contains("<|start_header_id|>ipython<|end_header_id|>\n\n42<|eot_id|>", text);
    }
}
