using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;
using AscendAio.Router;

namespace AscendAio.Host.Backends;

/// <summary>
/// Serves the resident models under their configured names (<see cref="ModelNames"/>): each pinned, straight through
/// the engine's generator, and "aio" through a <see cref="IRequestRouter"/> when one is attached (both models resident).
/// Greedy decoding by default; the strategy of a pinned request is plain unless it asks for pld or draft (draft: the
/// large model verifies the small model's drafts). Generations run on <see cref="Execution"/> (a server's
/// <see cref="BatchedExecution"/>: each model's step scheduler).
/// </summary>
public sealed class EngineBackend : ICompletionBackend
{
    public const string RoutedModel = ModelNames.Routed;

    private readonly LanguageModel? _small;
    private readonly LanguageModel? _large;
    private readonly IRequestRouter? _router;

    /// <param name="names">The names the models are served under; null = the bundles' own model names.</param>
    /// <param name="execution">Where pinned generations run (default: <see cref="DirectExecution"/>); the router has its own.</param>
    public EngineBackend(LanguageModel? small, LanguageModel? large, IRequestRouter? router = null, ModelNames? names = null,
        IGenerationExecution? execution = null)
    {
        if (small is null && large is null)
            throw new ArgumentException("at least one model must be resident");
        _small = small;
        _large = large;
        _router = router;
        Execution = execution ?? DirectExecution.Instance;
        Names = names ?? new ModelNames(new[] { (ModelRole.Small, small), (ModelRole.Large, large) }
            .Where(p => p.Item2 is not null).Select(p => KeyValuePair.Create(p.Item1, p.Item2!.Name)));
        foreach (var (role, model) in new[] { (ModelRole.Small, small), (ModelRole.Large, large) })
        {
            if (model is not null != Names.Has(role))
                throw new ArgumentException($"the {role.RoleName()} model is {(model is null ? "not resident but named" : "resident but has no name")}", nameof(names));
        }
        ModelIds = [.. router is null ? [] : new[] { RoutedModel }, .. Names.Names];
    }

    public IGenerationExecution Execution { get; }

    /// <summary>The role ↔ name map of the resident models.</summary>
    public ModelNames Names { get; }

    public IReadOnlyList<string> ModelIds { get; }

    public PreparedCompletion Prepare(CompletionRequest request)
    {
        var role = Resolve(request.Model);
        var model = role switch
        {
            ModelRole.Small => _small!,
            ModelRole.Large => _large!,
            _ => (_large ?? _small)!, // routed: the larger context bounds the prompt; the router checks its own choice
        };
        // Routed "aio" requests may pin draft too: the router decodes plain when it picks the small model.
        if (request.Strategy == StrategyChoice.Draft && (role == ModelRole.Small || _small is null || _large is null))
            throw new CompletionRequestException(
                "strategy 'draft' needs the large model with the small one resident (the small model drafts, the large one verifies)", "strategy");
        var options = Options(request, Strategy(request.Strategy));
        // A biased token must exist in every model that may generate the request (both, when routed).
        foreach (var token in request.LogitBias.Keys)
        {
            var generating = role is null ? new[] { _small, _large } : [model];
            if (generating.FirstOrDefault(m => m is not null && token >= m.VocabSize) is { } outside)
                throw new CompletionRequestException($"'logit_bias' names token {token}, outside {Names.Of(outside == _small ? ModelRole.Small : ModelRole.Large)}'s vocabulary (size {outside.VocabSize})", "logit_bias");
        }

        var prompt = request.ToPrompt();
        // The prompt and at least one generated token must fit the context; tokenizing stops past the tighter bound,
        // so a huge prompt costs the bound, not its length. The configured limit is cited when it is the tighter one.
        var room = model.ContextLimit - 1;
        var bound = Math.Min(request.MaxPromptTokens, room);
        var param = request.Messages is null ? "prompt" : "messages";
        var tokens = Encode(model, prompt, bound) ?? throw new CompletionRequestException(
            bound == request.MaxPromptTokens
                ? $"The prompt has more than {bound} tokens with the template; this server accepts at most {bound} (limits:maxPromptTokens)."
                : $"This model's context is {model.ContextLimit} tokens; the prompt has more than {room} tokens with the template, leaving no room to generate.",
            param, "context_length_exceeded");
        // Routed: the small model renders the chat too (probe and generation); its template must accept the messages as well.
        if (request.Model == RoutedModel && _small is not null && _small != model)
            Encode(_small, prompt, bound);
        return new PreparedCompletion(request, tokens);
    }

    /// <summary>The role a request's model names; null for the routed model.</summary>
    /// <exception cref="CompletionRequestException">The name is unknown, or names the routed model while routing is off.</exception>
    public ModelRole? Resolve(string model)
    {
        if (model == RoutedModel)
        {
            return _router is not null ? null : throw new CompletionRequestException(
                $"The routed model '{RoutedModel}' needs both a small and a large model (configure models:small and models:large); {Serving()} Name one of them to run it pinned.",
                "model", "model_not_available");
        }
        return Names.RoleOf(model) ?? throw new CompletionRequestException(
            $"The model '{model}' does not exist; {Serving()}", "model", CompletionRequestException.ModelNotFound);
    }

    private string Serving() => $"this server serves {string.Join(", ", ModelIds)}.";

    /// <summary>
    /// The prompt tokens of <paramref name="prompt"/> on <paramref name="model"/>: a chat through the model's chat template
    /// (a template that refuses the messages is the client's error, 400 naming the template's message), or through
    /// the generation template when the model has none (OpenAI's roles only, as before chat templates).
    /// </summary>
    public int[] Encode(LanguageModel model, RequestPrompt prompt) => Encode(model, prompt, int.MaxValue)!;

    /// <summary>As <see cref="Encode(LanguageModel, RequestPrompt)"/>, but null once the prompt is known to have more than <paramref name="maxTokens"/> tokens.</summary>
    public int[]? Encode(LanguageModel model, RequestPrompt prompt, int maxTokens)
    {
        if (prompt.Messages is { } messages && model.Bundle.ChatTemplate is null)
            CheckOpenAiRoles(messages);
        try
        {
            // ModelBundle.EncodePrompt's steps, with the tokenizer's bounded encoding.
            return model.Bundle.Tokenizer.EncodeWithin(model.Bundle.RenderPrompt(prompt), maxTokens);
        }
        catch (ChatTemplateRenderException e)
        {
            var what = e is ChatTemplateRaisedException raised ? raised.TemplateMessage : e.Message;
            var served = Names.Of(model == _small ? ModelRole.Small : ModelRole.Large);   // the name clients use
            throw new CompletionRequestException($"{served}'s chat template does not accept these messages: {what}", "messages");
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
        if (Resolve(request.Model) is not { } role)
            return _router!.StartAsync(prepared, Options(request, DecodingStrategy.Plain), cancellation);

        var model = role == ModelRole.Small ? _small! : _large!;
        var strategy = Strategy(request.Strategy);
        var drafter = strategy is DraftSpeculativeDecoding ? _small : null;
        var route = new RouteInfo(Names.Of(role), role.RoleName(), strategy.Name, null, null, "pinned by the request's model");
        var updates = Execution.StreamAsync(model, prepared.PromptTokens, Options(request, strategy), drafter, null, cancellation);
        return Task.FromResult(new CompletionRun(route, updates, model.Tokenizer));
    }

    public BackendStatus Status()
    {
        var device = (_large ?? _small)!.Device;
        // Reported under the served names, which configuration may set apart from the bundles' own.
        var models = new[] { (ModelRole.Small, _small), (ModelRole.Large, _large) }
            .Where(p => p.Item2 is not null).Select(p => p.Item2!.MemoryReport() with { Model = Names.Of(p.Item1) }).ToList();
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
            Logprobs = request.Logprobs,
            PresencePenalty = request.PresencePenalty,
            FrequencyPenalty = request.FrequencyPenalty,
            LogitBias = request.LogitBias,
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
                nameof(GenerationOptions.Logprobs) => "logprobs",
                nameof(GenerationOptions.PresencePenalty) => "presence_penalty",
                nameof(GenerationOptions.FrequencyPenalty) => "frequency_penalty",
                nameof(GenerationOptions.LogitBias) => "logit_bias",
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
}

/// <summary>
/// The "aio" model: decides the route of a request (probe, entropy, policy) and starts the generation on the
/// chosen model with the chosen strategy. <paramref name="options"/> carries the request's sampling settings.
/// </summary>
public interface IRequestRouter
{
    Task<CompletionRun> StartAsync(PreparedCompletion prepared, GenerationOptions options, CancellationToken cancellation);
}
