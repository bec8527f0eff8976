using AscendAio.Export;
using AscendAio.Export.Checkpoint;

namespace AscendAio.TestSupport;

/// <summary>
/// A random-weight stand-in of a real chat model: a tiny Llama (1 layer, hidden 16) whose vocabulary, tokenizer
/// files and chat template are the real model's (<see cref="ReferenceChatPrompts.TokenizerDirectory"/>), exported
/// as a bundle with context 128 (prefill chunk 32, gears 64 and 128).
/// </summary>
public static class ChatStandIn
{
    public const int Context = 128;

    /// <summary>A chat template (in the style of Llama 2's and Gemma's) that raises on a role it does not know.</summary>
    public const string RoleCheckingTemplate =
        "{{ bos_token }}{% for m in messages %}{% if m.role not in ['system', 'user', 'assistant'] %}" +
        "{{ raise_exception('Unknown role: ' + m.role) }}{% endif %}<|{{ m.role }}|>{{ m.content }}{{ eos_token }}{% endfor %}" +
        "{% if add_generation_prompt %}<|assistant|>{% endif %}";

    /// <summary>
    /// Copies an exported bundle to <paramref name="destination"/> (or edits it in place when they are the same) with
    /// <paramref name="template"/> as its chat template (chat_template.jinja, recorded in bundle.json): a bundle whose
    /// template changed after export, without a new export.
    /// </summary>
    public static string CopyWithTemplate(string bundle, string destination, string template)
    {
        Directory.CreateDirectory(destination);
        if (Path.GetFullPath(bundle) != Path.GetFullPath(destination))
        {
            foreach (var file in Directory.GetFiles(bundle))
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
        File.WriteAllText(Path.Combine(destination, "chat_template.jinja"), template);
        var manifest = Path.Combine(destination, "bundle.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        json["templates"]!["chat"] = "chat_template.jinja";
        File.WriteAllText(manifest, json.ToJsonString());
        return destination;
    }

    /// <summary>Writes <paramref name="template"/> as the checkpoint's chat_template.jinja (an <c>edit</c> for <see cref="Export"/>).</summary>
    public static Action<string> WithTemplate(string template) =>
        checkpoint => File.WriteAllText(Path.Combine(checkpoint, "chat_template.jinja"), template);

    /// <summary>Writes ROOT/NAME-ckpt and the bundle ROOT/NAME; returns the bundle directory.</summary>
    /// <param name="edit">Changes the checkpoint's files before export (e.g. a different chat template).</param>
    public static string Export(string root, string tokenizer, string name, int hidden = 16, ulong seed = 7, Action<string>? edit = null)
    {
        var checkpoint = Path.Combine(root, $"{name}-ckpt");
        RandomCheckpoint.Write(checkpoint, new RandomCheckpointOptions
        {
            Hidden = hidden, Intermediate = 2 * hidden, Layers = 1, Heads = 2, KvHeads = 1, VocabSize = 16, MaxPositions = Context, Seed = seed,
            TokenizerDirectory = ReferenceChatPrompts.TokenizerDirectory(tokenizer),
        });
        edit?.Invoke(checkpoint);
        var bundle = Path.Combine(root, name);
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = checkpoint, OutputDirectory = bundle, ModelName = name, PrefillChunk = 32, VerifyK = 4, Gears = [64, Context],
        });
        return bundle;
    }
}
