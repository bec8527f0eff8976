using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Engine.Generation;
using AscendAio.Router.Policies.Json;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Policies;

/// <summary>
/// A policy as JSON (policies/aio.json): the policy name and its <see cref="PolicyOptions"/>, read and written through
/// the source-generated contract in <see cref="PolicyJsonContext"/>. Every error names the file and the field
/// ("aio.json: categories.code.strategy.kind: unknown strategy 'foo' (plain|pld|draft)"); unknown fields are errors
/// too, so a typo never falls back to a default. A "calibration" object is kept as-is.
/// <code>
/// { "policy": "aio", "tau": 0.45, "context_limit": 512,
///   "fallback": { "model": "large", "strategy": null },
///   "categories": { "code": { "model": "small", "strategy": { "kind": "plain" }, "fallback_strategy": { "kind": "pld" } },
///                   "qa":   { "model": "large", "strategy": { "kind": "pld", "max_ngram": 6, "look_ahead": 2 } } },
///   "pld": { "max_ngram": 6, "look_ahead": 2 }, "draft_tokens": 4, "seed": 0, "random_small_share": 0.33,
///   "probe": { "labels": { "code": "code", "qa": "question", "math": "math" }, "instruction": "... {labels}.", "answer_prefix": "" } }
/// </code>
/// </summary>
public sealed record PolicyFile(string Policy, PolicyOptions Options)
{
    /// <summary>Free-form calibration record (objective, τ grid, scores) written by `aio calibrate`.</summary>
    public JsonObject? Calibration { get; init; }

    public IRoutingPolicy Create() => RoutingPolicies.Create(Policy, Options);

    public static PolicyFile Load(string path)
    {
        if (!File.Exists(path))
            throw new RoutingException($"policy file '{path}' does not exist");
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>Parses policy JSON; <paramref name="source"/> prefixes error messages.</summary>
    public static PolicyFile Parse(string json, string source = "policy.json")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new RoutingException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        try
        {
            if (root is not JsonObject top)
                throw new PolicyFieldException("", $"expected an object, got {PolicyJsonErrors.Describe(root)}");
            StrategyShorthand.Normalize(top);
            PolicyDocument document;
            try
            {
                document = top.Deserialize(PolicyJsonContext.Default.PolicyDocument)!;
            }
            catch (JsonException e)
            {
                throw PolicyJsonErrors.FromContract(e, top);
            }
            var file = FromDocument(document);
            file.Options.Validate();
            return file;
        }
        catch (PolicyFieldException e)
        {
            throw new RoutingException(e.Field.Length == 0 ? $"{source}: {e.Message}" : $"{source}: {e.Field}: {e.Message}", e);
        }
        catch (RoutingException e)
        {
            throw new RoutingException($"{source}: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        File.WriteAllText(path, ToJson() + "\n");
    }

    public string ToJson() => JsonSerializer.Serialize(ToDocument(), PolicyJsonContext.Writing.PolicyDocument);

    private static PolicyFile FromDocument(PolicyDocument document)
    {
        var d = PolicyOptions.Default;
        var policy = document.Policy ?? RoutingPolicies.Aio;
        if (!RoutingPolicies.Names.Contains(policy))
            throw new PolicyFieldException("policy", $"unknown policy '{policy}' ({string.Join("|", RoutingPolicies.Names)})");

        var categories = document.Categories?.ToDictionary(
            p => p.Key,
            p => new CategoryRule(
                Role(p.Value.Model, $"categories.{p.Key}.model") ?? throw new PolicyFieldException($"categories.{p.Key}.model", $"missing ({ModelRoles.Accepted})"),
                Strategy(p.Value.Strategy) ?? DecodingStrategy.Plain,
                p.Value.ContextLimit,
                Strategy(p.Value.FallbackStrategy)),
            StringComparer.Ordinal);
        var probe = document.Probe is { } section
            ? new InstructProbeOptions { Labels = section.Labels, Instruction = section.Instruction, AnswerPrefix = section.AnswerPrefix ?? "" }
            : null;

        var options = new PolicyOptions
        {
            InstructProbe = probe,
            Tau = document.Tau ?? d.Tau,
            ContextLimit = document.ContextLimit ?? d.ContextLimit,
            Categories = categories ?? d.Categories,
            FallbackModel = Role(document.Fallback?.Model, "fallback.model") ?? d.FallbackModel,
            FallbackStrategy = document.Fallback is null ? d.FallbackStrategy : Strategy(document.Fallback.Strategy),
            Pld = document.Pld is { } pld
                ? new PromptLookupDecoding(pld.MaxNgram ?? d.Pld.MaxNgram, pld.LookAhead ?? d.Pld.LookAhead)
                : d.Pld,
            DraftTokens = document.DraftTokens ?? d.DraftTokens,
            Seed = document.Seed ?? d.Seed,
            RandomSmallShare = document.RandomSmallShare ?? d.RandomSmallShare,
        };
        return new PolicyFile(policy, options) { Calibration = document.Calibration };
    }

    private PolicyDocument ToDocument()
    {
        var o = Options;
        return new PolicyDocument
        {
            Policy = Policy,
            Tau = double.IsPositiveInfinity(o.Tau) ? o.Tau : Math.Round(o.Tau, 6),
            ContextLimit = o.ContextLimit,
            Fallback = new FallbackSection { Model = o.FallbackModel.RoleName(), Strategy = StrategySection(o.FallbackStrategy) },
            Categories = o.Categories.ToDictionary(p => p.Key, p => new CategorySection
            {
                Model = p.Value.Model.RoleName(),
                ContextLimit = p.Value.ContextLimit,
                Strategy = StrategySection(p.Value.Strategy),
                FallbackStrategy = StrategySection(p.Value.FallbackStrategy),
            }),
            Pld = new PldSection { MaxNgram = o.Pld.MaxNgram, LookAhead = o.Pld.LookAhead },
            DraftTokens = o.DraftTokens,
            Seed = o.Seed,
            RandomSmallShare = Math.Round(o.RandomSmallShare, 6),
            Probe = o.InstructProbe is { } probe
                ? new ProbeSection
                {
                    Labels = probe.Labels?.ToDictionary(),
                    Instruction = probe.Instruction,
                    AnswerPrefix = probe.AnswerPrefix.Length > 0 ? probe.AnswerPrefix : null,
                }
                : null,
            Calibration = (JsonObject?)Calibration?.DeepClone(),
        };
    }

    private static ModelRole? Role(string? text, string field) => text is null
        ? null
        : ModelRoles.TryParse(text) ?? throw new PolicyFieldException(field,
            $"unknown model role '{text}' ({ModelRoles.Accepted}; a policy names roles, the configuration names the models)");

    private static DecodingStrategy? Strategy(StrategySection? section) => section switch
    {
        null => null,
        PldStrategySection p => new PromptLookupDecoding(
            p.MaxNgram ?? PolicyOptions.DefaultPld.MaxNgram, p.LookAhead ?? PolicyOptions.DefaultPld.LookAhead),
        DraftStrategySection k => new DraftSpeculativeDecoding(k.DraftTokens ?? 4),
        _ => DecodingStrategy.Plain,
    };

    private static StrategySection? StrategySection(DecodingStrategy? strategy) => strategy switch
    {
        null => null,
        PromptLookupDecoding p => new PldStrategySection { MaxNgram = p.MaxNgram, LookAhead = p.LookAhead },
        DraftSpeculativeDecoding k => new DraftStrategySection { DraftTokens = k.DraftTokens },
        _ => new PlainStrategySection(),
    };
}
