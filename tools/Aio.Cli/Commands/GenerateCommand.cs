using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Prompts;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.OpenAi;
using AscendAio.Router;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio generate [--prompt TEXT] [--chat] [--system TEXT] [--model aio|NAME] [--strategy auto|plain|pld|draft]
/// [--max-new-tokens N] [--temperature T] [--top-p P] [--seed S] [--stop TEXT] [--json [FILE]] [--config FILE] [--section:key=value ...]`:
/// one request (the prompt from --prompt or stdin) through the same backend as `aio serve`. --chat sends it as a chat's
/// user turn (after a system message with --system, which implies --chat), rendered through the model's chat template
/// where the bundle has one, as /v1/chat/completions does. The text streams to stdout; the route decision and timings
/// follow on stderr. NAME is a configured model's served name (models:smallName / models:largeName, else its
/// bundle's model_name); aio, the default, routes and needs both models. --json prints one object instead: text, tokens (ids), prompt_token_ids, route, timings.
/// Ctrl-C cancels the generation.
/// </summary>
internal sealed class GenerateCommand : IDeclaredCommand
{
    private static readonly JsonSerializerOptions JsonLines = new() { WriteIndented = false };

    private static readonly Option<string?> Prompt = new("--prompt") { Description = "the prompt (default: stdin)", HelpName = "TEXT" };
    private static readonly Option<bool> Chat = new("--chat") { Description = "send the prompt as a chat's user turn, through the model's chat template" };
    private static readonly Option<string?> SystemMessage = new("--system") { Description = "a system message before the user turn (implies --chat)", HelpName = "TEXT" };

    private static readonly Option<string> Strategy = OptionRules.OneOf(new Option<string>("--strategy")
    {
        Description = "the decoding strategy: auto (the router's choice), plain, pld or draft",
        DefaultValueFactory = _ => "auto",
    }, "auto, plain, pld or draft", "auto", "plain", "pld", "draft");

    private static readonly Option<int?> MaxNewTokens = SharedOptions.MaxNewTokensOption(DefaultMaxNewTokens);
    private const int DefaultMaxNewTokens = 128;

    private static readonly Option<double> Temperature = OptionRules.Between(new Option<double>("--temperature")
    {
        Description = "sampling temperature (0: greedy)",
        HelpName = "T",
        DefaultValueFactory = _ => 0,
    }, 0, 2);

    private static readonly Option<double> TopP = OptionRules.Between(new Option<double>("--top-p")
    {
        Description = "nucleus sampling: the smallest set of tokens whose probability reaches P",
        HelpName = "P",
        DefaultValueFactory = _ => 1,
    }, double.Epsilon, 1, "must be a number in (0, 1], got '{0}'");

    private static readonly Option<int> Seed = new("--seed") { Description = "the sampler's seed", HelpName = "S", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Stop = new("--stop") { Description = "stop when the text produces TEXT", HelpName = "TEXT" };

    public string Name => "generate";

    public string Summary => "one prompt (--prompt or stdin) streamed to the terminal, then the route decision and timings";

    public void Declare(Command command)
    {
        foreach (var option in new Option[] { Prompt, Chat, SystemMessage, SharedOptions.ServedModel, Strategy, MaxNewTokens, Temperature, TopP, Seed, Stop,
                                              SharedOptions.Json, SharedOptions.Config, ConfigOverrides.Option })
            command.Options.Add(option);
    }

    public int Run(ParseResult parse)
    {
        var model = parse.GetRequiredValue(SharedOptions.ServedModel);
        var strategy = parse.GetRequiredValue(Strategy) switch
        {
            "plain" => StrategyChoice.Plain,
            "pld" => StrategyChoice.Pld,
            "draft" => StrategyChoice.Draft,
            _ => StrategyChoice.Auto,
        };
        var prompt = parse.GetValue(Prompt) ?? ReadStdin();
        var system = parse.GetValue(SystemMessage);
        var chat = parse.GetValue(Chat) || system is not null ? RequestPrompt.User(prompt, system) : null;
        var options = ConfigCommand.ReadOrReport(parse.GetValue(SharedOptions.Config), ConfigOverrides.Of(parse), Name);
        if (options is null)
            return 1;
        var role = PinnedRole(model, ServedNames.Resolve(options.Models));
        var maxTokens = parse.GetValue(MaxNewTokens) ?? DefaultMaxNewTokens;
        // Only a value given is checked against limits:maxNewTokens.
        if (parse.GetResult(MaxNewTokens) is { Implicit: false } && maxTokens > options.Limits.MaxNewTokens)
            throw new UsageException($"--max-new-tokens must be an integer in [1, {options.Limits.MaxNewTokens}] (limits:maxNewTokens), got '{maxTokens}'");
        var request = new CompletionRequest
        {
            Model = model,
            Prompt = chat?.Text ?? prompt,
            Messages = chat?.Messages,
            MaxTokens = maxTokens,
            Temperature = parse.GetValue(Temperature),
            TopP = parse.GetValue(TopP),
            Seed = parse.GetValue(Seed),
            Stop = parse.GetValue(Stop) is { } stop ? [stop] : [],
            Strategy = strategy,
        };

        // Load only what the request needs: the routed model and draft speculation use both.
        var needsSmall = role != ModelRole.Large || strategy == StrategyChoice.Draft;
        var needsLarge = role != ModelRole.Small;
        using var stack = ConfigCommand.LoadOrReport(options, Name, needsSmall, needsLarge);
        if (stack is null)
            return 1;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return RunAsync(stack, request, JsonOutput.Of(parse), cancel.Token).GetAwaiter().GetResult();
        }
        catch (CompletionRequestException e)
        {
            Console.Error.WriteLine($"aio generate: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("aio generate: cancelled");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The role --model pins; null for the routed model, which needs both models configured.</summary>
    private static ModelRole? PinnedRole(string model, ModelNames names)
    {
        var valid = string.Join(", ", (names.Roles.Count() == 2 ? [ModelNames.Routed] : Array.Empty<string>()).Concat(names.Names));
        if (model == ModelNames.Routed)
        {
            return names.Roles.Count() == 2 ? null : throw new UsageException(
                $"--model {ModelNames.Routed} routes between a small and a large model, but only {names} is configured " +
                $"(set models:small and models:large); valid here: {valid}");
        }
        return names.RoleOf(model) ?? throw new UsageException($"--model must be one of {valid}, got '{model}'");
    }

    private static async Task<int> RunAsync(ServingStack stack, CompletionRequest request, JsonOutput json, CancellationToken cancellation)
    {
        var prepared = stack.Backend.Prepare(request);
        var start = Stopwatch.GetTimestamp();
        await using var run = await stack.Backend.StartAsync(prepared, cancellation);
        var tokens = new List<int>();
        var text = new StringBuilder();
        GenerationUpdate? last = null;
        double? firstTokenMs = null;
        await foreach (var update in run.Updates.WithCancellation(cancellation))
        {
            firstTokenMs ??= update.Tokens.Length > 0 ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : null;
            tokens.AddRange(update.Tokens);
            text.Append(update.TextDelta);
            if (json.Tables)
            {
                Console.Out.Write(update.TextDelta);
                Console.Out.Flush();
            }
            last = update;
        }
        var totalMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var metrics = last?.Metrics ?? throw new InvalidOperationException("the generation ended without metrics");
        var finish = FinishReasons.ToOpenAi(last.Finish ?? FinishReason.Length);
        var route = run.Route;
        var memory = stack.Models.Device.GetMemoryInfo();
        json.Write(JsonSerializer.Serialize(new
        {
            text = text.ToString(),
            tokens,
            prompt_token_ids = prepared.PromptTokens,
            finish_reason = finish,
            route = new { model = route.Model, role = route.Role, strategy = route.Strategy, category = route.Category, entropy = route.Entropy, reason = route.Reason },
            timings = new
            {
                probe_ms = route.ProbeMs,
                prefill_ms = metrics.PrefillMs,
                decode_ms = metrics.DecodeMs,
                first_token_ms = firstTokenMs,
                total_ms = totalMs,
                prompt_tokens = metrics.PromptTokens,
                generated_tokens = metrics.GeneratedTokens,
                tokens_per_second = metrics.TokensPerSecond,
                decode_tokens_per_second = metrics.DecodeTokensPerSecond,
                forward_passes = metrics.ForwardPasses,
                draft_tokens_proposed = metrics.DraftTokensProposed,
                draft_tokens_accepted = metrics.DraftTokensAccepted,
            },
            device_memory_used_bytes = memory.Used,
        }, JsonLines));
        if (json.OnStdout)
            return 0;
        Console.Out.WriteLine();
        var e = Console.Error;
        e.WriteLine();
        e.WriteLine($"route     {route.Model} ({route.Role}), strategy {route.Strategy}, category {route.Category ?? "-"}, " +
                    $"entropy {(route.Entropy is { } h ? h.ToString("F4", CultureInfo.InvariantCulture) + " nats" : "-")}");
        e.WriteLine($"reason    {route.Reason}");
        e.WriteLine($"tokens    {metrics.PromptTokens} prompt, {metrics.GeneratedTokens} generated, finish {finish}; {metrics.ForwardPasses} forward passes" +
                    (metrics.DraftTokensProposed > 0 ? $", drafts accepted {metrics.DraftTokensAccepted}/{metrics.DraftTokensProposed} ({metrics.AcceptanceRate:P0})" : ""));
        e.WriteLine($"timings   probe {route.ProbeMs:F1} ms, prefill {metrics.PrefillMs:F1} ms, decode {metrics.DecodeMs:F1} ms, " +
                    $"first token {firstTokenMs ?? 0:F1} ms, total {totalMs:F1} ms; {metrics.TokensPerSecond:F1} tok/s ({metrics.DecodeTokensPerSecond:F1} decode)");
        e.WriteLine($"device    {memory.Used >> 20} MiB of {memory.Total >> 20} MiB in use");
        return 0;
    }

    private static string ReadStdin()
    {
        if (!Console.IsInputRedirected)
            throw new UsageException("give the prompt with --prompt TEXT or on stdin");
        var text = Console.In.ReadToEnd();
        return text.EndsWith('\n') ? text.TrimEnd('\n', '\r') : text;
    }
}
