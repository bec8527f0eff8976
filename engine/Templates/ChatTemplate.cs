using System.Text.Json;

namespace AscendAio.Engine.Templates;

/// <summary>
/// A model's Hugging Face chat template (Jinja), parsed once and rendered per request.
/// Parsing refuses any construct the renderer does not support, so a bundle with an unusable template fails when it loads.
/// </summary>
public sealed class ChatTemplate
{
    private readonly List<Node> _body;

    private ChatTemplate(string source, List<Node> body)
    {
        Source = source;
        _body = body;
    }

    /// <summary>The template text as given.</summary>
    public string Source { get; }

    /// <exception cref="ChatTemplateParseException">Syntax error or unsupported construct (named, with its line).</exception>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, Parser.Parse(source));
    }

    /// <summary>
    /// Reads the template of a model directory or file: <c>chat_template.jinja</c>, or <c>chat_template</c> in
    /// <c>tokenizer_config.json</c> (a string, or a list of named templates of which "default" is used).
    /// Returns null when the model has no chat template.
    /// </summary>
    public static ChatTemplate? FromTokenizerConfig(string path)
    {
        if (Directory.Exists(path))
        {
            var jinja = Path.Combine(path, "chat_template.jinja");
            if (File.Exists(jinja)) return Parse(File.ReadAllText(jinja));
            path = Path.Combine(path, "tokenizer_config.json");
            if (!File.Exists(path)) return null;
        }
        if (path.EndsWith(".jinja", StringComparison.OrdinalIgnoreCase)) return Parse(File.ReadAllText(path));

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("chat_template", out var template)) return null;
        return template.ValueKind switch
        {
            JsonValueKind.String => Parse(template.GetString()!),
            JsonValueKind.Null => null,
            JsonValueKind.Array => Parse(DefaultOf(template, path)),
            _ => throw new ChatTemplateParseException($"{path}: chat_template must be a string or a list of named templates", 1),
        };
    }

    private static string DefaultOf(JsonElement templates, string path)
    {
        foreach (var t in templates.EnumerateArray())
            if (t.TryGetProperty("name", out var name) && name.GetString() == "default" && t.TryGetProperty("template", out var body))
                return body.GetString() ?? "";
        throw new ChatTemplateParseException($"{path}: chat_template lists no template named \"default\"", 1);
    }

    /// <summary>Renders the prompt text for <paramref name="input"/>.</summary>
    /// <exception cref="ChatTemplateRaisedException">The template called raise_exception (the request breaks the model's rules).</exception>
    /// <exception cref="ChatTemplateRenderException">The request's data does not fit the template (e.g. a null content it concatenates).</exception>
    public string Render(ChatTemplateInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var globals = Globals.Create(input.Clock ?? TimeProvider.System);
        globals["messages"] = new ListValue(input.Messages.Select(Message).ToList());
        globals["add_generation_prompt"] = Value.Of(input.AddGenerationPrompt);
        globals["bos_token"] = new StringValue(input.BosToken ?? "");
        globals["eos_token"] = new StringValue(input.EosToken ?? "");
        globals["tools"] = Value.From(input.Tools);
        foreach (var (name, value) in input.Variables ?? new Dictionary<string, object?>()) globals[name] = Value.From(value);
        return Evaluator.Run(_body, new Scope(null, globals));
    }

    private static Value Message(ChatMessage m)
    {
        var entries = new OrderedDictionary<string, Value>
        {
            ["role"] = new StringValue(m.Role),
            ["content"] = m.Content is null ? Value.None : new StringValue(m.Content),
        };
        foreach (var (k, v) in m.Extra ?? new Dictionary<string, object?>()) entries[k] = Value.From(v);
        return new DictValue(entries);
    }
}
