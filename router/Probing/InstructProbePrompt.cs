using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;

namespace AscendAio.Router.Probing;

/// <summary>
/// The probe prompt of an instruct model: the request's own chat (system and earlier turns kept) with the
/// classification instruction appended to its last user turn, rendered through the model's chat template with the
/// generation prompt, then <see cref="InstructProbeOptions.AnswerPrefix"/>. The instruction comes after the request so
/// that the probe and the generation prompt share everything up to the end of that turn (see router/README.md).
/// </summary>
internal sealed class InstructProbePrompt
{
    private readonly ModelBundle _bundle;

    public InstructProbePrompt(LanguageModel model, InstructProbeOptions? options)
    {
        _bundle = model.Bundle;
        if (_bundle.ChatTemplate is null)
            throw new RoutingException(
                $"{model.Name}: the bundle has neither a probe template with category tokens (templates.probe, category_tokens) nor a chat template (templates.chat); the probe needs one of them");
        var labels = options?.Labels ?? model.Manifest.CategoryLabels ?? BundleManifest.DefaultCategoryLabels;
        var known = new[] { "code", "qa", "math" };
        Categories = known.Where(labels.ContainsKey).Concat(labels.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal)).ToArray();
        if (Categories.Count < 2)
            throw new RoutingException($"{model.Name}: the probe needs at least 2 category labels (category_labels), got {Categories.Count}");
        Labels = Categories.Select(c => string.IsNullOrWhiteSpace(labels[c])
            ? throw new RoutingException($"{model.Name}: category '{c}' has an empty probe label")
            : labels[c]).ToArray();
        var instruction = options?.Instruction ?? model.Manifest.Templates.ProbeInstruction ?? BundleTemplates.DefaultProbeInstruction;
        Instruction = instruction.Replace(BundleTemplates.LabelsPlaceholder, JoinLabels(Labels), StringComparison.Ordinal);
        AnswerPrefix = options?.AnswerPrefix ?? "";
        LabelTokens = FirstTokens(model);
    }

    public IReadOnlyList<string> Categories { get; }

    /// <summary>The answer word of each category, in <see cref="Categories"/> order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The first token each label continues the probe prompt with, in <see cref="Categories"/> order.</summary>
    public IReadOnlyList<int> LabelTokens { get; }

    /// <summary>The instruction with the labels filled in.</summary>
    public string Instruction { get; }

    public string AnswerPrefix { get; }

    /// <exception cref="ChatTemplateRenderException">The template refused the request's messages.</exception>
    public string Render(RequestPrompt prompt)
    {
        var messages = (prompt.Messages ?? [new ChatMessage("user", prompt.Text)]).ToList();
        var last = messages.FindLastIndex(m => m.Role == "user");
        if (last < 0)
            messages.Add(new ChatMessage("user", Instruction));
        else
            messages[last] = messages[last] with { Content = $"{messages[last].Content}\n\n{Instruction}" };
        return _bundle.RenderPrompt(RequestPrompt.Chat(messages)) + AnswerPrefix;
    }

    /// <summary>
    /// Each label's first token as the model would write it after the probe prompt: encode the prompt with and without
    /// the label and take the first id past the prompt's own. Refuses a label that merges with the prompt's last token
    /// and labels whose first tokens collide (their logits could not be told apart).
    /// </summary>
    private int[] FirstTokens(LanguageModel model)
    {
        var prompt = Render(RequestPrompt.Completion("x"));
        var promptIds = _bundle.Tokenizer.Encode(prompt);
        var ids = new int[Labels.Count];
        for (var i = 0; i < Labels.Count; i++)
        {
            var withLabel = _bundle.Tokenizer.Encode(prompt + Labels[i]);
            var shared = promptIds.AsSpan().CommonPrefixLength(withLabel);
            if (shared != promptIds.Length || withLabel.Length == shared)
                throw new RoutingException(
                    $"{model.Name}: probe label '{Labels[i]}' (category {Categories[i]}) does not start a token of its own after the probe prompt; choose another label or answer prefix");
            ids[i] = withLabel[shared];
            if (ids[i] < 0 || ids[i] >= model.VocabSize)
                throw new RoutingException($"{model.Name}: probe label '{Labels[i]}' starts with token {ids[i]}, outside the model's vocabulary ({model.VocabSize})");
            var clash = Array.IndexOf(ids, ids[i], 0, i);
            if (clash >= 0)
                throw new RoutingException(
                    $"{model.Name}: probe labels '{Labels[clash]}' ({Categories[clash]}) and '{Labels[i]}' ({Categories[i]}) both start with token {ids[i]} " +
                    $"('{_bundle.Tokenizer.IdToToken(ids[i])}'); their probabilities could not be told apart: give labels whose first tokens differ");
        }
        return ids;
    }

    private static string JoinLabels(IReadOnlyList<string> labels) =>
        labels.Count == 1 ? labels[0] : $"{string.Join(", ", labels.Take(labels.Count - 1))} or {labels[^1]}";
}
