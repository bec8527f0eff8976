using System.Runtime.CompilerServices;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;

namespace AscendAio.Host.Backends;

/// <summary>
/// Serves the resident models: "ref-small" and "ref-large" pinned, straight through the engine's generator, and
/// "aio" through a <see cref="IRequestRouter"/> when one is attached. Greedy decoding by default; the strategy
/// of a pinned request is plain unless it asks for pld or draft (draft: ref-large verifies ref-small's drafts).
/// </summary>
public sealed class EngineBackend : ICompletionBackend
{
    public const string RoutedModel = "aio", SmallModel = "ref-small", LargeModel = "ref-large";

    private readonly LanguageModel? _small;
    private readonly LanguageModel? _large;
    private readonly IRequestRouter? _router;

    public EngineBackend(LanguageModel? small, LanguageModel? large, IRequestRouter? router = null)
    {
        if (small is null && large is null)
            throw new ArgumentException("at least one model must be resident");
        _small = small;
        _large = large;
        _router = router;
        var ids = new List<string>();
        if (router is not null)
            ids.Add(RoutedModel);
        if (small is not null)
            ids.Add(SmallModel);
        if (large is not null)
            ids.Add(LargeModel);
        ModelIds = ids;
    }

    public IReadOnlyList<string> ModelIds { get; }

    public PreparedCompletion Prepare(CompletionRequest request)
    {
        if (!ModelIds.Contains(request.Model))
            throw new CompletionRequestException($"The model '{request.Model}' does not exist; this server serves {string.Join(", ", ModelIds)}.", "model", "model_not_found");
        var model = request.Model switch
        {
            SmallModel => _small!,
            LargeModel => _large!,
            _ => (_large ?? _small)!, // routed: the larger context bounds the prompt; the router checks its own choice
        };
        // Routed "aio" requests may pin draft too: the router decodes plain when it picks ref-small.
        if (request.Strategy == StrategyChoice.Draft && (request.Model == SmallModel || _small is null || _large is null))
            throw new CompletionRequestException("strategy 'draft' needs ref-large with ref-small resident (ref-small drafts, ref-large verifies)", "strategy");
        var options = Options(request, Strategy(request.Strategy));

        var prompt = request.ToPrompt();
        var tokens = Encode(model, prompt);
        // Routed: the small model renders the chat too (probe and generation); its template must accept the messages as well.
        if (request.Model == RoutedModel && _small is not null && _small != model)
            Encode(_small, prompt);
        // The prompt and at least one generated token must fit the context.
        if (tokens.Length + 1 > model.ContextLimit)
            throw new CompletionRequestException(
                $"This model's context is {model.ContextLimit} tokens; the prompt has {tokens.Length} tokens with the template, leaving no room to generate.",
                "prompt", "context_length_exceeded");
        return new PreparedCompletion(request, tokens);
    }

    /// <summary>
    /// The prompt tokens of <paramref name="prompt"/> on <paramref name="model"/>: a chat through the model's chat template
    /// (a template that refuses the messages is the client's error, 400 naming the template's message), or through
    /// the generation template when the model has none (OpenAI's roles only, as before chat templates).
    /// </summary>
    public static int[] Encode(LanguageModel model, RequestPrompt prompt)
    {
        if (prompt.Messages is { } messages && model.Bundle.ChatTemplate is null)
            CheckOpenAiRoles(messages);
        try
        {
            return model.Bundle.EncodePrompt(prompt);
        }
        catch (ChatTemplateRenderException e)
        {
            var what = e is ChatTemplateRaisedException raised ? raised.TemplateMessage : e.Message;
            throw new CompletionRequestException($"{model.Name}'s chat template does not accept these messages: {what}", "messages");
        }
    }

    /// <summary>The roles a model without a chat template accepts (OpenAI's); a chat template decides for itself.</summary>
    public static readonly IReadOnlyList<string> OpenAiRoles = ["system", "developer", "user", "assistant", "tool"];

    private static void CheckOpenAiRoles(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (!OpenAiRoles.Contains(messages[i].Role))
                throw new CompletionRequestException($"messages[{i}].role must be one of {string.Join(", ", OpenAiRoles)}; got '{messages[i].Role}'", $"messages[{i}].role");
        }
    }

    public Task<CompletionRun> StartAsync(PreparedCompletion prepared, CancellationToken cancellation)
    {
        var request = prepared.Request;
        if (request.Model == RoutedModel)
            return _router!.StartAsync(prepared, Options(request, DecodingStrategy.Plain), cancellation);

        var model = request.Model == SmallModel ? _small! : _large!;
        var strategy = Strategy(request.Strategy);
        var drafter = strategy is DraftSpeculativeDecoding ? _small : null;
        var route = new RouteInfo(request.Model, request.Model == SmallModel ? "small" : "large", strategy.Name, null, null, "pinned by the request's model");
        var updates = Generator.StreamAsync(model, prepared.PromptTokens, Options(request, strategy), drafter, null, cancellation);
        return Task.FromResult(new CompletionRun(route, StartOffThread(updates, cancellation)));
    }

    public BackendStatus Status()
    {
        var device = (_large ?? _small)!.Device;
        var models = new[] { _small, _large }.OfType<LanguageModel>().Select(m => m.MemoryReport()).ToList();
        return new BackendStatus(device.GetMemoryInfo(), models);
    }

    /// <summary>The engine options for a request; <see cref="GenerationOptions.Validate"/>'s complaint becomes a 400 naming the field.</summary>
    public static GenerationOptions Options(CompletionRequest request, DecodingStrategy strategy)
    {
        var options = new GenerationOptions
        {
            MaxNewTokens = request.MaxTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            Seed = request.Seed,
            StopStrings = request.Stop,
            Strategy = strategy,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            var param = e.ParamName switch
            {
                nameof(GenerationOptions.MaxNewTokens) => "max_tokens",
                nameof(GenerationOptions.Temperature) => "temperature",
                nameof(GenerationOptions.TopP) => "top_p",
                nameof(GenerationOptions.StopStrings) => "stop",
                _ => "strategy",
            };
            throw new CompletionRequestException(e.Message.Split(" (Parameter")[0], param);
        }
        return options;
    }

    private static DecodingStrategy Strategy(StrategyChoice choice) => choice switch
    {
        StrategyChoice.Pld => new PromptLookupDecoding(),
        StrategyChoice.Draft => new DraftSpeculativeDecoding(),
        _ => DecodingStrategy.Plain,
    };

    /// <summary>
    /// The engine's stream prefills inside its first step, synchronously; run that first step on the thread pool so a
    /// request thread never blocks on the device. Later steps already run through Task.Run inside the engine.
    /// </summary>
    internal static async IAsyncEnumerable<T> StartOffThread<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var enumerator = source.GetAsyncEnumerator(cancellation);
        try
        {
            if (!await Task.Run(() => enumerator.MoveNextAsync().AsTask(), cancellation).ConfigureAwait(false))
                yield break;
            yield return enumerator.Current;
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
                yield return enumerator.Current;
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The "aio" model: decides the route of a request (probe, entropy, policy) and starts the generation on the
/// chosen model with the chosen strategy. <paramref name="options"/> carries the request's sampling settings.
/// </summary>
public interface IRequestRouter
{
    Task<CompletionRun> StartAsync(PreparedCompletion prepared, GenerationOptions options, CancellationToken cancellation);
}
