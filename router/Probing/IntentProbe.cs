using System.Buffers;
using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;

namespace AscendAio.Router.Probing;

/// <summary>
/// Intent sensing with the small model: one prefill over a probe prompt, and the logits at one token per category
/// become a <see cref="CategoryDistribution"/>. Two kinds of probe prompt:
/// <list type="bullet">
/// <item>special tokens (the reference pair): the bundle's probe template "&lt;|bos|&gt;{request}&lt;|probe|&gt;", read
/// at the category tokens &lt;|code|&gt; &lt;|qa|&gt; &lt;|math|&gt;;</item>
/// <item>instruct (a bundle with a chat template and no category tokens): the request's chat with a classification
/// instruction appended to its last user turn, rendered through the chat template, read at the first token of each
/// category's label (<see cref="InstructProbeOptions"/>).</item>
/// </list>
/// The probe prompt and the generation prompt share a prefix (the request, or the chat up to its last user turn's
/// text), so the probe's KV cache can be handed to generation on the same model (see <see cref="ProbeRun"/>).
/// </summary>
public sealed class IntentProbe
{
    private readonly int[] _categoryIds;
    private readonly int _headTokens;
    private readonly InstructProbePrompt? _instruct;

    public IntentProbe(LanguageModel model, InstructProbeOptions? instruct = null)
    {
        Model = model;
        var manifest = model.Manifest;
        if (manifest.Templates.Probe is { } template)
        {
            Template = template;
            if (!Template.Contains(BundleTemplates.RequestPlaceholder, StringComparison.Ordinal))
                throw new RoutingException($"{model.Name}: the probe template '{Template}' has no {BundleTemplates.RequestPlaceholder} placeholder");
            // Fixed order code, qa, math where present, then any other category the bundle names.
            var known = new[] { "code", "qa", "math" };
            Categories = known.Where(manifest.CategoryTokens.ContainsKey)
                .Concat(manifest.CategoryTokens.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
                .ToArray();
            if (Categories.Count < 2)
                throw new RoutingException($"{model.Name}: the bundle names {Categories.Count} category tokens (category_tokens); the probe needs at least 2");
            _categoryIds = Categories.Select(c => manifest.CategoryTokens[c]).ToArray();
        }
        else
        {
            _instruct = new InstructProbePrompt(model, instruct);
            Categories = _instruct.Categories;
            _categoryIds = _instruct.LabelTokens.ToArray();
        }
        foreach (var id in _categoryIds)
        {
            if (id < 0 || id >= model.VocabSize)
                throw new RoutingException($"{model.Name}: category token id {id} is outside the vocabulary ({model.VocabSize})");
        }
        // What precedes the request in every probe prompt (kept when a long request is cut to the context).
        var a = Model.Tokenizer.Encode(Render(RequestPrompt.Completion("x")));
        var b = Model.Tokenizer.Encode(Render(RequestPrompt.Completion("y")));
        _headTokens = a.AsSpan().CommonPrefixLength(b);
        if (a.Length - 1 >= model.ContextLimit)
            throw new RoutingException($"{model.Name}: the probe prompt alone does not fit the context of {model.ContextLimit}");
    }

    public LanguageModel Model { get; }

    /// <summary>The special-token probe template ("{request}" placeholder); null for an instruct probe.</summary>
    public string? Template { get; }

    /// <summary>Whether this is an instruct probe (chat template and labels) rather than the special-token one.</summary>
    public bool IsInstruct => _instruct is not null;

    /// <summary>The instruct probe's labels, in <see cref="Categories"/> order; null for the special-token probe.</summary>
    public IReadOnlyList<string>? Labels => _instruct?.Labels;

    /// <summary>The token whose logit stands for each category, in <see cref="Categories"/> order.</summary>
    public IReadOnlyList<int> CategoryTokenIds => _categoryIds;

    /// <summary>The categories in probability order of <see cref="CategoryDistribution"/>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The probe prompt's text for a request.</summary>
    public string Render(RequestPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _instruct is { } instruct ? instruct.Render(prompt) : ModelBundle.Apply(Template!, prompt.Text);
    }

    /// <inheritdoc cref="Run(RequestPrompt, bool)"/>
    public ProbeRun Run(string request, bool keepSequence = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(RequestPrompt.Completion(request), keepSequence);
    }

    /// <summary>
    /// Runs the probe. With <paramref name="keepSequence"/> the probe's sequence (its KV cache) is returned for
    /// prefix reuse instead of being released; the caller then owns it.
    /// </summary>
    public ProbeRun Run(RequestPrompt prompt, bool keepSequence = false)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var start = Stopwatch.GetTimestamp();
        var tokens = Model.Tokenizer.Encode(Render(prompt));
        var truncated = false;
        if (tokens.Length > Model.ContextLimit)
        {
            // As in training: keep the prompt's head (<|bos|>, the chat header) and the last tokens; the question and
            // the instruction sit at the end.
            var tail = Model.ContextLimit - _headTokens;
            tokens = [.. tokens.AsSpan(0, _headTokens), .. tokens.AsSpan(tokens.Length - tail)];
            truncated = true;
        }
        var templated = Stopwatch.GetTimestamp();

        var logits = ArrayPool<float>.Shared.Rent(Model.VocabSize);
        var sequence = Model.CreateSequence();
        try
        {
            using (ProfilerRange.Start(ProfilerRangeName.Probe))
                sequence.PrefillLogits(tokens, logits.AsSpan(0, Model.VocabSize));
            Span<float> categoryLogits = stackalloc float[_categoryIds.Length];
            for (var i = 0; i < _categoryIds.Length; i++)
                categoryLogits[i] = logits[_categoryIds[i]];
            var prefilled = Stopwatch.GetTimestamp();
            var result = new ProbeResult
            {
                Distribution = CategoryDistribution.FromLogits(Categories, categoryLogits),
                ProbeTokens = tokens.Length,
                Truncated = truncated,
                TemplateMs = Stopwatch.GetElapsedTime(start, templated).TotalMilliseconds,
                PrefillMs = Stopwatch.GetElapsedTime(templated, prefilled).TotalMilliseconds,
            };
            if (!keepSequence || truncated)
            {
                sequence.Dispose();
                return new ProbeRun(result, tokens, null);
            }
            return new ProbeRun(result, tokens, sequence);
        }
        catch
        {
            sequence.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(logits);
        }
    }
}
