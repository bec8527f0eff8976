using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>
/// `aio generate --chat / --system` on random-weight stand-ins with real tokenizers and chat templates (Qwen3 as the
/// small model, Llama 3.1 as the large; Qwen2.5 as the small model of a second configuration): the prompt's token ids
/// equal the reference's (tests/Reference/templates).
/// </summary>
public sealed class GenerateChatTests(GenerateChatTests.StandIns standIns) : IClassFixture<GenerateChatTests.StandIns>
{
    /// <summary>The two stand-ins, exported once for the class, and a configuration naming them.</summary>
    public sealed class StandIns : IDisposable
    {
        public StandIns()
        {
            var small = ChatStandIn.Export(Root, "qwen3", "qwen3", seed: 51);
            var large = ChatStandIn.Export(Root, "llama3_1", "llama3_1", hidden: 32, seed: 52);
            Config = WriteConfig(Root, small, large);
            // Qwen2.5 as the small model of a second configuration.
            var qwen25 = ChatStandIn.Export(Root, "qwen2_5", "qwen2_5", seed: 54);
            Qwen25Config = WriteConfig(Root, qwen25, large, "aio-qwen2_5.json");
        }

        public string Qwen25Config { get; }

        public string Root { get; } = TempDirectory.Create("cli-chat");

        public string Config { get; }

        public void Dispose() => TempDirectory.Delete(Root);
    }

    private string Root => standIns.Root;

    private string Config => standIns.Config;

    [Theory]
    [InlineData("chat-small", "qwen3")]
    [InlineData("chat-large", "llama3_1")]
    [InlineData("chat-small", "qwen2_5")]
    public void GenerateChat_WithSystem_PromptIdsEqualTheReferences(string model, string tokenizer)
    {
        var c = ReferenceChatPrompts.Cases(tokenizer).Single(x => x.Name == "system_user");
        var config = tokenizer == "qwen2_5" ? standIns.Qwen25Config : Config;

        var (exit, stdout, stderr) = AioConsole.Run("generate", "--config", config, "--model", model, "--system", c.Messages[0].Content!,
            "--prompt", c.Messages[1].Content!, "--max-tokens", "2", "--json");

        Assert.True(exit == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(c.Ids, result.RootElement.GetProperty("prompt_token_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(c.Ids.Length, result.RootElement.GetProperty("timings").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public void GenerateChat_UserOnly_PromptIdsEqualTheReferences_AndWithoutChatItIsTheRawCompletion()
    {
        var c = ReferenceChatPrompts.Cases("llama3_1").Single(x => x.Name == "user_only");
        var prompt = c.Messages[0].Content!;

        var chat = AioConsole.Run("generate", "--config", Config, "--model", "chat-large", "--chat", "--prompt", prompt, "--max-tokens", "1", "--json");
        var plain = AioConsole.Run("generate", "--config", Config, "--model", "chat-large", "--prompt", prompt, "--max-tokens", "1", "--json");

        Assert.True(chat.Exit == 0, chat.Err);
        Assert.True(plain.Exit == 0, plain.Err);
        Assert.Equal(c.Ids, Ids(chat.Out));
        var raw = Ids(plain.Out);
        Assert.Equal(c.Ids[0], raw[0]); // <|begin_of_text|>, then the text without any chat header
        Assert.True(raw.Length < c.Ids.Length);
    }

    [Fact]
    public void Generate_BundleWithAnUnsupportedTemplate_IsRefusedAtLoadNamingTheConstruct()
    {
        var bad = ChatStandIn.Export(Root, "qwen3", "bad", seed: 53);
        var configPath = Path.Combine(bad, "tokenizer_config.json");
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json["chat_template"] = "{% for m in messages %}{% filter upper %}{{ m.content }}{% endfilter %}{% endfor %}";
        File.WriteAllText(configPath, json.ToJsonString());

        var (exit, _, stderr) = AioConsole.Run("generate", "--config", WriteConfig(Root, bad, bad, "bad.json"), "--model", "chat-small", "--chat", "--prompt", "hi");

        Assert.Equal(1, exit);
        Assert.Contains("statement 'filter'", stderr);
        Assert.Contains("tokenizer_config.json", stderr);
    }

    [Fact]
    public void Calibrate_OnAnInstructPair_ProbesThroughTheChatTemplateAndWritesAPolicy()
    {
        var policy = Path.Combine(Root, "calibrated.json");

        var (exit, stdout, stderr) = AioConsole.Run("calibrate", "--small", Path.Combine(Root, "qwen3"), "--large", Path.Combine(Root, "llama3_1"),
            "--limit", "3", "--holdout", "3", "--max-new-tokens", "2", "--out", policy);

        Assert.True(exit == 0, stderr);
        Assert.Contains("reuse token mismatches 0", stdout);
        Assert.Contains("probe confusion on 3 held-out requests", stdout);
        using var written = JsonDocument.Parse(File.ReadAllText(policy));
        Assert.Equal(3, written.RootElement.GetProperty("calibration").GetProperty("samples").GetInt32()); // one code, qa and math request (long ones do not fit a 128-token stand-in)
    }

    private static int[] Ids(string stdout)
    {
        using var result = JsonDocument.Parse(stdout);
        return result.RootElement.GetProperty("prompt_token_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    private static string WriteConfig(string root, string small, string large, string name = "aio.json")
    {
        var path = Path.Combine(root, name);
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            models = new { small, large, smallName = "chat-small", largeName = "chat-large" },
            limits = new { maxPromptTokens = 120, maxNewTokens = 8, concurrentSequences = 1 },
        }));
        return path;
    }
}
