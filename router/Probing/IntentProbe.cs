using System.Buffers;
using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;

namespace AscendAio.Router.Probing;

/// <summary>
/// Intent sensing with the small model: the request goes into the bundle's probe template
/// ("&lt;|bos|&gt;{request}&lt;|probe|&gt;"), one prefill runs over it, and the logits at the category tokens
/// become a <see cref="CategoryDistribution"/>. The request is a prefix of both the probe and the generation
/// prompt, so the probe's KV cache can be handed to generation on the same model (see <see cref="ProbeRun"/>).
/// </summary>
public sealed class IntentProbe
{
    private readonly int[] _categoryIds;
    private readonly int _headTokens;

    public IntentProbe(LanguageModel model)
    {
        Model = model;
        var manifest = model.Manifest;
        Template = manifest.Templates.Probe
            ?? throw new RoutingException($"{model.Name}: the bundle has no probe template (templates.probe); the probe needs one");
        var at = Template.IndexOf(BundleTemplates.RequestPlaceholder, StringComparison.Ordinal);
        if (at < 0)
            throw new RoutingException($"{model.Name}: the probe template '{Template}' has no {BundleTemplates.RequestPlaceholder} placeholder");
        // Fixed order code, qa, math where present, then any other category the bundle names.
        var known = new[] { "code", "qa", "math" };
        Categories = known.Where(manifest.CategoryTokens.ContainsKey)
            .Concat(manifest.CategoryTokens.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
            .ToArray();
        if (Categories.Count < 2)
            throw new RoutingException($"{model.Name}: the bundle names {Categories.Count} category tokens (category_tokens); the probe needs at least 2");
        _categoryIds = Categories.Select(c => manifest.CategoryTokens[c]).ToArray();
        foreach (var id in _categoryIds)
        {
            if (id < 0 || id >= model.VocabSize)
                throw new RoutingException($"{model.Name}: category token id {id} is outside the vocabulary ({model.VocabSize})");
        }
        _headTokens = model.Tokenizer.Encode(Template[..at]).Length;
        if (_headTokens + model.Tokenizer.Encode(Template[(at + BundleTemplates.RequestPlaceholder.Length)..]).Length >= model.ContextLimit)
            throw new RoutingException($"{model.Name}: the probe template alone does not fit the context of {model.ContextLimit}");
    }

    public LanguageModel Model { get; }

    public string Template { get; }

    /// <summary>The categories in probability order of <see cref="CategoryDistribution"/>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>
    /// Runs the probe. With <paramref name="keepSequence"/> the probe's sequence (its KV cache) is returned for
    /// prefix reuse instead of being released; the caller then owns it.
    /// </summary>
    public ProbeRun Run(string request, bool keepSequence = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = Stopwatch.GetTimestamp();
        var tokens = Model.Tokenizer.Encode(Engine.Models.ModelBundle.Apply(Template, request));
        var truncated = false;
        if (tokens.Length > Model.ContextLimit)
        {
            // As in training: keep the template's head (<|bos|>) and the last tokens; the question sits at the end.
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
