using System.Text.Json.Nodes;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests.ChatPrompts;

/// <summary>
/// A bundle's chat prompts against the reference (tests/Reference/templates/chat-prompts.mjs: @huggingface/jinja
/// renders the real chat template, @lenml/tokenizers encodes without adding special tokens, as apply_chat_template does).
/// </summary>
public sealed class ChatPromptTests(ChatStandIns standIns) : IClassFixture<ChatStandIns>
{
    public static TheoryData<string> Tokenizers => new(ReferenceChatPrompts.Names);

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void EncodePrompt_Chat_EqualsTheReferenceIdsForEveryCase(string name)
    {
        var bundle = standIns.Loaded[name];
        var cases = ReferenceChatPrompts.Cases(name);
        Assert.True(cases.Count >= 5);
        foreach (var c in cases)
        {
            var prompt = RequestPrompt.Chat(c.Messages);
            Assert.Equal(c.Rendered, bundle.RenderPrompt(prompt));
            Assert.Equal(c.Ids, bundle.EncodePrompt(prompt));
        }
    }

    [Fact]
    public void EncodePrompt_TemplateWritesBos_OneBosOnly()
    {
        var bundle = standIns.Loaded["llama3_1"];
        var bos = bundle.Tokenizer.BosId!.Value;
        var ids = bundle.EncodePrompt(RequestPrompt.User("Hello"));
        Assert.Equal(bos, ids[0]);
        Assert.Equal(1, ids.Count(id => id == bos));
        // The completion path keeps the generation template, which carries the BOS itself.
        Assert.Equal("<|begin_of_text|>{request}", bundle.Manifest.Templates.Generation);
        Assert.Equal(1, bundle.EncodePrompt(RequestPrompt.Completion("Hello")).Count(id => id == bos));
    }

    [Fact]
    public void Export_RecordsWhereTheChatTemplateIs_AndInstructProbeDefaults()
    {
        var manifest = BundleManifest.Load(standIns.Bundles["qwen3"]);
        Assert.Equal("tokenizer_config.json", manifest.Templates.Chat);
        Assert.Null(manifest.Templates.Probe);
        Assert.Empty(manifest.CategoryTokens);
        Assert.Equal(BundleManifest.DefaultCategoryLabels, manifest.CategoryLabels);
        Assert.Equal(BundleTemplates.DefaultProbeInstruction, manifest.Templates.ProbeInstruction);
        // No BOS in Qwen's tokenizer: the completion template is the request alone.
        Assert.Equal("{request}", manifest.Templates.Generation);
    }

    [Fact]
    public void Load_ChatTemplateJinjaFile_TakesPrecedenceOverTokenizerConfig()
    {
        var root = TempDirectory.Create("chat-jinja");
        try
        {
            var dir = ChatStandIn.Export(root, "qwen3", "jinja", edit: ckpt =>
                File.WriteAllText(Path.Combine(ckpt, "chat_template.jinja"), "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}"));
            var bundle = ModelBundle.Load(dir);
            Assert.Equal("chat_template.jinja", bundle.Manifest.Templates.Chat);
            Assert.True(File.Exists(Path.Combine(dir, "chat_template.jinja")));
            Assert.Equal("[system] Be brief.\n[user] Hi\n[assistant] ", bundle.RenderPrompt(RequestPrompt.User("Hi", system: "Be brief.")));
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }

    [Fact]
    public void Load_UnsupportedConstructInTheTemplate_IsRefusedNamingIt()
    {
        var root = TempDirectory.Create("chat-bad");
        try
        {
            var dir = ChatStandIn.CopyWithTemplate(standIns.Bundles["qwen3"], Path.Combine(root, "bad"), "{% for m in messages %}{{ m.content | center(40) }}{% endfor %}");
            // A template edited after export: the bundle must refuse it when it loads, not when a request comes.
            Assert.Contains("filter 'center'", Assert.Throws<InvalidDataException>(() => ModelBundle.Load(dir)).Message);
            var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "bundle.json")))!.AsObject();
            manifest["templates"]!["chat"] = "tokenizer_config.json";
            File.WriteAllText(Path.Combine(dir, "bundle.json"), manifest.ToJsonString());
            var config = Path.Combine(dir, "tokenizer_config.json");
            var json = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
            json["chat_template"] = "{% for m in messages %}{{ m.content | wordwrap(20) }}{% endfor %}";
            File.WriteAllText(config, json.ToJsonString());
            var e = Assert.Throws<InvalidDataException>(() => ModelBundle.Load(dir));
            Assert.Contains("filter 'wordwrap'", e.Message);
            Assert.Contains("tokenizer_config.json", e.Message);
            Assert.IsType<ChatTemplateParseException>(e.InnerException);

            json["chat_template"] = "{% include 'other.jinja' %}";
            File.WriteAllText(config, json.ToJsonString());
            Assert.Contains("'include'", Assert.Throws<InvalidDataException>(() => ModelBundle.Load(dir)).Message);

            json.Remove("chat_template");
            File.WriteAllText(config, json.ToJsonString());
            Assert.Contains("holds no chat_template", Assert.Throws<InvalidDataException>(() => ModelBundle.Load(dir)).Message);

            manifest["templates"]!["chat"] = "../outside.jinja";
            File.WriteAllText(Path.Combine(dir, "bundle.json"), manifest.ToJsonString());
            Assert.Contains("must name a file in the bundle", Assert.Throws<InvalidDataException>(() => ModelBundle.Load(dir)).Message);
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }

    [Fact]
    public void RenderPrompt_TemplateRaisesOnAnUnknownRole_ThrowsTheTemplatesMessage()
    {
        var root = TempDirectory.Create("chat-raise");
        try
        {
            var bundle = ModelBundle.Load(ChatStandIn.CopyWithTemplate(standIns.Bundles["llama3_1"], Path.Combine(root, "raise"), ChatStandIn.RoleCheckingTemplate));
            var e = Assert.Throws<ChatTemplateRaisedException>(() => bundle.RenderPrompt(RequestPrompt.Chat([new ChatMessage("robot", "beep")])));
            Assert.Equal("Unknown role: robot", e.TemplateMessage);
            Assert.Equal("<|begin_of_text|><|user|>Hi<|eot_id|><|assistant|>", bundle.RenderPrompt(RequestPrompt.User("Hi")));
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }
}
