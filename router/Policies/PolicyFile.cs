using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Engine.Generation;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Policies;

/// <summary>
/// A policy as JSON (policies/aio.json): the policy name and its <see cref="PolicyOptions"/>. Every error names
/// the file and the field ("aio.json: categories.code.strategy.kind: unknown strategy 'foo' (plain|pld|draft)");
/// unknown fields are errors too, so a typo never falls back to a default. A "calibration" object is kept as-is.
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
        var reader = new Reader(source);
        var top = reader.Object(root, "");
        reader.Only(top, "", "policy", "tau", "context_limit", "fallback", "categories", "pld", "draft_tokens", "seed", "random_small_share", "probe", "calibration", "comment");
        var d = PolicyOptions.Default;
        var policy = reader.String(top["policy"], "policy") ?? RoutingPolicies.Aio;
        if (!RoutingPolicies.Names.Contains(policy))
            throw reader.Error("policy", $"unknown policy '{policy}' ({string.Join("|", RoutingPolicies.Names)})");

        ModelRole fallbackModel = d.FallbackModel;
        DecodingStrategy? fallbackStrategy = d.FallbackStrategy;
        if (top["fallback"] is { } fallbackNode)
        {
            var fallback = reader.Object(fallbackNode, "fallback");
            reader.Only(fallback, "fallback", "model", "strategy");
            fallbackModel = reader.Model(fallback["model"], "fallback.model") ?? d.FallbackModel;
            fallbackStrategy = fallback["strategy"] is null ? null : reader.Strategy(fallback["strategy"], "fallback.strategy");
        }

        IReadOnlyDictionary<string, CategoryRule> categories = d.Categories;
        if (top.ContainsKey("categories"))
        {
            var map = new Dictionary<string, CategoryRule>(StringComparer.Ordinal);
            foreach (var (name, node) in reader.Object(top["categories"], "categories"))
            {
                var at = $"categories.{name}";
                var rule = reader.Object(node, at);
                reader.Only(rule, at, "model", "strategy", "context_limit", "fallback_strategy");
                var model = reader.Model(rule["model"], $"{at}.model") ?? throw reader.Error($"{at}.model", $"missing ({ModelRoles.Accepted})");
                var strategy = rule["strategy"] is null ? DecodingStrategy.Plain : reader.Strategy(rule["strategy"], $"{at}.strategy");
                var fallback = rule["fallback_strategy"] is null ? null : reader.Strategy(rule["fallback_strategy"], $"{at}.fallback_strategy");
                map[name] = new CategoryRule(model, strategy, reader.Int(rule["context_limit"], $"{at}.context_limit"), fallback);
            }
            categories = map;
        }

        var pld = d.Pld;
        if (top["pld"] is { } pldNode)
            pld = (PromptLookupDecoding)reader.Strategy(pldNode, "pld", impliedKind: "pld");

        InstructProbeOptions? probe = null;
        if (top["probe"] is { } probeNode)
        {
            var section = reader.Object(probeNode, "probe");
            reader.Only(section, "probe", "labels", "instruction", "answer_prefix");
            Dictionary<string, string>? labels = null;
            if (section["labels"] is { } labelsNode)
            {
                labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (category, label) in reader.Object(labelsNode, "probe.labels"))
                    labels[category] = reader.String(label, $"probe.labels.{category}") ?? throw reader.Error($"probe.labels.{category}", "expected a string, got null");
            }
            probe = new InstructProbeOptions
            {
                Labels = labels,
                Instruction = reader.String(section["instruction"], "probe.instruction"),
                AnswerPrefix = reader.String(section["answer_prefix"], "probe.answer_prefix") ?? "",
            };
        }

        var options = new PolicyOptions
        {
            InstructProbe = probe,
            Tau = reader.Double(top["tau"], "tau") ?? d.Tau,
            ContextLimit = reader.Int(top["context_limit"], "context_limit") ?? d.ContextLimit,
            Categories = categories,
            FallbackModel = fallbackModel,
            FallbackStrategy = fallbackStrategy,
            Pld = pld,
            DraftTokens = reader.Int(top["draft_tokens"], "draft_tokens") ?? d.DraftTokens,
            Seed = reader.Int(top["seed"], "seed") ?? d.Seed,
            RandomSmallShare = reader.Double(top["random_small_share"], "random_small_share") ?? d.RandomSmallShare,
        };
        try
        {
            options.Validate();
        }
        catch (RoutingException e)
        {
            throw new RoutingException($"{source}: {e.Message}", e);
        }
        return new PolicyFile(policy, options) { Calibration = top["calibration"] is JsonObject c ? (JsonObject)c.DeepClone() : null };
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        File.WriteAllText(path, ToJson() + "\n");
    }

    public string ToJson()
    {
        var o = Options;
        var categories = new JsonObject();
        foreach (var (name, rule) in o.Categories)
        {
            var node = new JsonObject { ["model"] = rule.Model.RoleName() };
            if (rule.ContextLimit is { } limit)
                node["context_limit"] = limit;
            node["strategy"] = StrategyJson(rule.Strategy);
            if (rule.FallbackStrategy is not null)
                node["fallback_strategy"] = StrategyJson(rule.FallbackStrategy);
            categories[name] = node;
        }
        var root = new JsonObject
        {
            ["policy"] = Policy,
            ["tau"] = double.IsPositiveInfinity(o.Tau) ? "inf" : Math.Round(o.Tau, 6),
            ["context_limit"] = o.ContextLimit,
            ["fallback"] = new JsonObject
            {
                ["model"] = o.FallbackModel.RoleName(),
                ["strategy"] = o.FallbackStrategy is null ? null : StrategyJson(o.FallbackStrategy),
            },
            ["categories"] = categories,
            ["pld"] = new JsonObject { ["max_ngram"] = o.Pld.MaxNgram, ["look_ahead"] = o.Pld.LookAhead },
            ["draft_tokens"] = o.DraftTokens,
            ["seed"] = o.Seed,
            ["random_small_share"] = Math.Round(o.RandomSmallShare, 6),
        };
        if (o.InstructProbe is { } probe)
        {
            var section = new JsonObject();
            if (probe.Labels is not null)
                section["labels"] = new JsonObject(probe.Labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            if (probe.Instruction is not null)
                section["instruction"] = probe.Instruction;
            if (probe.AnswerPrefix.Length > 0)
                section["answer_prefix"] = probe.AnswerPrefix;
            root["probe"] = section;
        }
        if (Calibration is not null)
            root["calibration"] = Calibration.DeepClone();
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonObject StrategyJson(DecodingStrategy strategy) => strategy switch
    {
        PromptLookupDecoding p => new JsonObject { ["kind"] = "pld", ["max_ngram"] = p.MaxNgram, ["look_ahead"] = p.LookAhead },
        DraftSpeculativeDecoding k => new JsonObject { ["kind"] = "draft", ["draft_tokens"] = k.DraftTokens },
        _ => new JsonObject { ["kind"] = "plain" },
    };

    /// <summary>Typed reads of JSON nodes; every failure names source and field path.</summary>
    private sealed class Reader(string source)
    {
        public RoutingException Error(string field, string message) =>
            new(field.Length == 0 ? $"{source}: {message}" : $"{source}: {field}: {message}");

        public JsonObject Object(JsonNode? node, string field) =>
            node as JsonObject ?? throw Error(field, $"expected an object, got {Kind(node)}");

        public void Only(JsonObject obj, string field, params string[] allowed)
        {
            foreach (var (key, _) in obj)
            {
                if (!allowed.Contains(key))
                    throw Error(field.Length == 0 ? key : $"{field}.{key}", $"unknown field (expected one of {string.Join(", ", allowed)})");
            }
        }

        public string? String(JsonNode? node, string field) => node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw Error(field, $"expected a string, got {Kind(node)}"),
        };

        public int? Int(JsonNode? node, string field) => node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var i) => i,
            JsonValue v when v.TryGetValue<double>(out var x) && x == Math.Floor(x) && Math.Abs(x) <= int.MaxValue => (int)x,
            _ => throw Error(field, $"expected an integer, got {Describe(node)}"),
        };

        public double? Double(JsonNode? node, string field) => node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<double>(out var x) => x,
            JsonValue v when v.TryGetValue<string>(out var s) && s is "inf" or "Infinity" => double.PositiveInfinity,
            _ => throw Error(field, $"expected a number, got {Describe(node)}"),
        };

        public ModelRole? Model(JsonNode? node, string field)
        {
            var text = String(node, field);
            if (text is null)
                return null;
            return ModelRoles.TryParse(text) ?? throw Error(field, $"unknown model role '{text}' ({ModelRoles.Accepted}; a policy names roles, the configuration names the models)");
        }

        public DecodingStrategy Strategy(JsonNode? node, string field, string? impliedKind = null)
        {
            if (node is JsonValue v && v.TryGetValue<string>(out var shorthand))
                node = new JsonObject { ["kind"] = shorthand };
            var obj = Object(node, field);
            var kind = impliedKind ?? String(obj["kind"], $"{field}.kind") ?? throw Error($"{field}.kind", "missing (plain|pld|draft)");
            switch (kind)
            {
                case "plain":
                    Only(obj, field, "kind");
                    return DecodingStrategy.Plain;
                case "pld":
                    Only(obj, field, "kind", "max_ngram", "look_ahead");
                    return new PromptLookupDecoding(
                        Int(obj["max_ngram"], $"{field}.max_ngram") ?? PolicyOptions.DefaultPld.MaxNgram,
                        Int(obj["look_ahead"], $"{field}.look_ahead") ?? PolicyOptions.DefaultPld.LookAhead);
                case "draft":
                    Only(obj, field, "kind", "draft_tokens");
                    return new DraftSpeculativeDecoding(Int(obj["draft_tokens"], $"{field}.draft_tokens") ?? 4);
                default:
                    throw Error($"{field}.kind", $"unknown strategy '{kind}' (plain|pld|draft)");
            }
        }

        private static string Kind(JsonNode? node) => node switch
        {
            null => "null",
            JsonObject => "an object",
            JsonArray => "an array",
            _ => node.GetValueKind().ToString().ToLowerInvariant(),
        };

        private static string Describe(JsonNode? node) =>
            node is JsonValue ? $"{Kind(node)} {node.ToJsonString()}" : Kind(node);
    }
}
