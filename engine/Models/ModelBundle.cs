using AscendAio.Engine.Bundles;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;
using AscendAio.Engine.Tokenization;

namespace AscendAio.Engine.Models;

/// <summary>A model bundle on disk: its manifest, tokenizer and chat template, checked before anything touches the device.</summary>
public sealed class ModelBundle
{
    private ModelBundle(string directory, BundleManifest manifest, BundleTokenizer tokenizer, ChatTemplate? chatTemplate)
    {
        Directory = directory;
        Manifest = manifest;
        Tokenizer = tokenizer;
        ChatTemplate = chatTemplate;
        BosToken = tokenizer.BosId is { } bos ? tokenizer.IdToToken(bos) : null;
        EosToken = tokenizer.EosId is { } eos ? tokenizer.IdToToken(eos) : null;
    }

    public string Directory { get; }

    public BundleManifest Manifest { get; }

    public BundleTokenizer Tokenizer { get; }

    /// <summary>The model's chat template (bundle.json templates.chat), or null when it has none.</summary>
    public ChatTemplate? ChatTemplate { get; }

    /// <summary>The text of the BOS / EOS tokens, as chat templates receive them (bos_token, eos_token).</summary>
    public string? BosToken { get; }

    public string? EosToken { get; }

    public string Name => Manifest.ModelName;

    /// <summary>
    /// Reads bundle.json, the tokenizer and the chat template; the ONNX graph named by the manifest must exist (the .om
    /// is checked at load, on CANN). A chat template the renderer cannot handle is refused here, naming the construct.
    /// </summary>
    public static ModelBundle Load(string directory)
    {
        var manifest = BundleManifest.Load(directory);
        foreach (var file in new[] { manifest.Graph.OnnxFile, manifest.Graph.CpuOnnxFile }.OfType<string>())
        {
            var graphPath = Path.Combine(directory, file);
            if (!File.Exists(graphPath))
                throw new FileNotFoundException($"bundle '{directory}': the graph '{file}' is missing; re-export with aio export", graphPath);
        }
        if (!File.Exists(Path.Combine(directory, manifest.Weights.File)))
            throw new FileNotFoundException($"bundle '{directory}': weight file '{manifest.Weights.File}' is missing");
        var tokenizer = BundleTokenizer.Load(directory);
        var chat = manifest.Templates.Chat is { } chatFile ? LoadChatTemplate(directory, chatFile) : null;
        return new ModelBundle(Path.GetFullPath(directory), manifest, tokenizer, chat);
    }

    /// <exception cref="InvalidDataException">The file has no template, or one this renderer cannot use (the construct and line named).</exception>
    public static ChatTemplate LoadChatTemplate(string directory, string file)
    {
        if (file.Length == 0 || Path.GetFileName(file) != file)
            throw new InvalidDataException($"bundle '{directory}': templates.chat must name a file in the bundle, got '{file}'");
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"bundle '{directory}': chat template file '{file}' (templates.chat) is missing", path);
        try
        {
            return ChatTemplate.FromTokenizerConfig(path)
                ?? throw new InvalidDataException($"bundle '{directory}': '{file}' holds no chat_template, but templates.chat names it");
        }
        catch (ChatTemplateParseException e)
        {
            throw new InvalidDataException($"bundle '{directory}': the chat template in '{file}' cannot be used: {e.Message}", e);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"bundle '{directory}': '{file}' is not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The template with the request text substituted.</summary>
    public static string Apply(string template, string request) =>
        template.Replace(BundleTemplates.RequestPlaceholder, request, StringComparison.Ordinal);

    /// <summary>
    /// The prompt text for <paramref name="prompt"/>: a chat rendered through the chat template (roles, system,
    /// add_generation_prompt, bos_token / eos_token), else the generation template around <see cref="RequestPrompt.Text"/>.
    /// </summary>
    /// <exception cref="ChatTemplateRenderException">The template refused the messages (raise_exception) or cannot render them.</exception>
    public string RenderPrompt(RequestPrompt prompt, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Messages is not { } messages || ChatTemplate is null)
            return Apply(Manifest.Templates.Generation, prompt.Text);
        return ChatTemplate.Render(new ChatTemplateInput(messages)
        {
            AddGenerationPrompt = addGenerationPrompt,
            BosToken = BosToken,
            EosToken = EosToken,
        });
    }

    /// <summary>
    /// The prompt's token ids. The rendered text is encoded as it stands (special tokens in it become their ids, nothing
    /// is added), so a template that writes bos_token gets exactly one BOS, as transformers' apply_chat_template does.
    /// </summary>
    public int[] EncodePrompt(RequestPrompt prompt) => Tokenizer.Encode(RenderPrompt(prompt));
}
