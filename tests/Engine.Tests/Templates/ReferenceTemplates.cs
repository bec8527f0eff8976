using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Engine.Templates;

namespace AscendAio.Engine.Tests.Templates;

/// <summary>
/// tests/Reference/templates: our cases (cases.json), the outputs @huggingface/jinja rendered for them (expected/*.json),
/// and the real templates, installed from npm by `npm ci` there. local/expected holds outputs for templates kept
/// out of the repo (git-ignored); they are compared when present.
/// </summary>
internal static class ReferenceTemplates
{
    public static string Folder { get; } = Path.Combine(FindRepoRoot(), "tests", "Reference", "templates");

    public static IEnumerable<string> ExpectedFiles()
    {
        foreach (var dir in new[] { Path.Combine(Folder, "expected"), Path.Combine(Folder, "local", "expected") })
            if (Directory.Exists(dir))
                foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
                    yield return Path.GetRelativePath(Folder, file);
    }

    public static JsonObject Expected(string relativeFile) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, relativeFile)))!.AsObject();

    public static JsonObject Case(string name)
    {
        var suite = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")))!;
        return suite["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!.AsObject();
    }

    public static JsonNode Tools() => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")))!["tools"]!;

    public static ChatTemplate Load(JsonObject expected)
    {
        var source = Path.Combine(Folder, (string)expected["source"]!);
        if (!File.Exists(source))
            throw new FileNotFoundException($"{source} is missing: run `npm ci` in tests/Reference/templates");
        return ChatTemplate.FromTokenizerConfig(source) ?? throw new InvalidDataException($"{source} has no chat template");
    }

    public static ChatTemplateInput Input(JsonObject expected, JsonObject c)
    {
        var messages = c["messages"]!.AsArray().Select(m =>
        {
            var o = m!.AsObject();
            var extra = o.Where(kv => kv.Key is not ("role" or "content")).ToDictionary(kv => kv.Key, kv => (object?)kv.Value?.DeepClone());
            return new ChatMessage((string)o["role"]!, o["content"]?.GetValue<string>(), extra);
        }).ToList();
        var variables = c["variables"]?.AsObject().ToDictionary(kv => kv.Key, kv => (object?)kv.Value?.DeepClone());
        return new ChatTemplateInput(messages)
        {
            AddGenerationPrompt = (bool)c["add_generation_prompt"]!,
            BosToken = (string?)expected["bos_token"],
            EosToken = (string?)expected["eos_token"],
            Tools = c["tools"] is not null && (bool)c["tools"]! ? Tools() : null,
            Variables = variables,
            Clock = new FixedClock(DateTimeOffset.Parse((string)expected["fixed_now"]!, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AscendAio.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no AscendAio.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A clock stopped at one instant, in UTC, for strftime_now.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
