using AscendAio.Engine.Bundles;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Prompts;
using AscendAio.Engine.Templates;
using AscendAio.Router.Calibration;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Tests;

/// <summary>The probe of an instruct model: its chat template, a classification instruction, the labels' first tokens.</summary>
[Collection(InstructPairCollection.Name)]
public sealed class InstructProbeTests(InstructPair pair)
{
    private static readonly RequestPrompt Chat = RequestPrompt.Chat([new ChatMessage("system", "You are terse."), new ChatMessage("user", "Sort this list: [3, 1, 2]")]);

    [Fact]
    public void Probe_AppendsTheInstructionToTheLastUserTurn_AndRendersThroughTheChatTemplate()
    {
        var probe = new IntentProbe(pair.Small);

        Assert.True(probe.IsInstruct);
        Assert.Null(probe.Template);
        Assert.Equal(["code", "qa", "math"], probe.Categories);
        var instruction = "Which kind of request is the text above? Answer with one word: code, qa or math.";
        var expected = pair.Small.Bundle.RenderPrompt(RequestPrompt.Chat(
            [new ChatMessage("system", "You are terse."), new ChatMessage("user", "Sort this list: [3, 1, 2]\n\n" + instruction)]));
        Assert.Equal(expected, probe.Render(Chat));
        Assert.EndsWith("<|start_header_id|>assistant<|end_header_id|>\n\n", expected);
    }

    [Fact]
    public void Probe_ReadsTheLogitsAtEachLabelsFirstToken_AfterTheGenerationPrompt()
    {
        var tokenizer = pair.Small.Tokenizer;
        var probe = new IntentProbe(pair.Small);
        // "code", "qa" and "math" are whole tokens of Llama 3's vocabulary: each label's first token is the label.
        int[] labelIds = [tokenizer.TokenToId("code")!.Value, tokenizer.TokenToId("qa")!.Value, tokenizer.TokenToId("math")!.Value];
        Assert.Equal(labelIds, probe.CategoryTokenIds);

        var tokens = tokenizer.Encode(probe.Render(Chat));
        var logits = new float[pair.Small.VocabSize];
        using (var sequence = pair.Small.CreateSequence())
            sequence.PrefillLogits(tokens, logits);
        var expected = CategoryDistribution.FromLogits(["code", "qa", "math"], labelIds.Select(i => logits[i]).ToArray());

        using var run = probe.Run(Chat);

        Assert.Equal(tokens, run.Tokens);
        Assert.Equal(expected.Probabilities, run.Result.Distribution.Probabilities);
        Assert.InRange(run.Result.Entropy, 0, Math.Log(3) + 1e-12);
    }

    [Fact]
    public void Probe_LabelsFromOptions_ReplaceTheBundles()
    {
        var probe = new IntentProbe(pair.Small, new InstructProbeOptions
        {
            Labels = new Dictionary<string, string> { ["code"] = "program", ["qa"] = "question", ["chat"] = "smalltalk" },
            Instruction = "Kind? One of {labels}.",
        });

        Assert.Equal(["code", "qa", "chat"], probe.Categories);
        Assert.Equal(["program", "question", "smalltalk"], probe.Labels);
        Assert.Contains("Kind? One of program, question or smalltalk.<|eot_id|>", probe.Render(RequestPrompt.Completion("hi")));
        Assert.Equal(3, probe.CategoryTokenIds.Distinct().Count());
    }

    [Fact]
    public void Router_TakesTheProbeLabelsOfItsPolicy()
    {
        var options = PolicyOptions.Default with
        {
            InstructProbe = new InstructProbeOptions { Labels = new Dictionary<string, string> { ["code"] = "program", ["qa"] = "question", ["math"] = "calculation" } },
        };

        using var router = new AioRouter(pair.Models, RoutingPolicies.Create(RoutingPolicies.Aio, options));

        Assert.Equal(["program", "question", "calculation"], router.Probe!.Labels);
        Assert.Contains("program, question or calculation", router.Probe.Render(RequestPrompt.Completion("hi")));
    }

    [Theory]
    [InlineData("answer", "answer")]
    [InlineData("code", "code!")]
    public void Probe_LabelsWhoseFirstTokensCollide_AreRefusedNamingBoth(string codeLabel, string qaLabel)
    {
        var options = new InstructProbeOptions { Labels = new Dictionary<string, string> { ["code"] = codeLabel, ["qa"] = qaLabel, ["math"] = "math" } };

        var e = Assert.Throws<RoutingException>(() => new IntentProbe(pair.Small, options));

        Assert.Contains($"'{codeLabel}' (code)", e.Message);
        Assert.Contains($"'{qaLabel}' (qa)", e.Message);
        Assert.Contains("first tokens differ", e.Message);
    }

    [Fact]
    public void Probe_LabelThatMergesWithThePromptsLastToken_IsRefused()
    {
        // The generation prompt ends in "\n\n"; a label starting with a newline would be written as one "\n\n\n" token.
        var options = new InstructProbeOptions { Labels = new Dictionary<string, string> { ["code"] = "code", ["qa"] = "\nqa" } };

        var e = Assert.Throws<RoutingException>(() => new IntentProbe(pair.Small, options));

        Assert.Contains("(category qa) does not start a token of its own", e.Message);
    }

    [Fact]
    public void Probe_OneLabel_IsRefused()
    {
        var e = Assert.Throws<RoutingException>(() => new IntentProbe(pair.Small, new InstructProbeOptions { Labels = new Dictionary<string, string> { ["code"] = "code" } }));
        Assert.Contains("at least 2 category labels", e.Message);
    }

    [Fact]
    public void KeptSequence_HoldsTheChatUpToTheLastUserTurnsText()
    {
        var prompt = pair.Small.Bundle.EncodePrompt(Chat);
        var rendered = pair.Small.Bundle.RenderPrompt(Chat);
        var throughRequest = pair.Small.Tokenizer.Encode(rendered[..(rendered.IndexOf("[3, 1, 2]", StringComparison.Ordinal) + "[3, 1, 2]".Length)]);

        using var run = new IntentProbe(pair.Small).Run(Chat, keepSequence: true);
        using var reusable = run.TakeReusablePrefix(prompt);

        Assert.NotNull(reusable);
        Assert.Equal(run.Tokens.AsSpan().CommonPrefixLength(prompt), reusable.Length);
        // Header, system turn and the user's text (its last token may merge with what follows it).
        Assert.InRange(reusable.Length, throughRequest.Length - 1, throughRequest.Length);
    }

    [Fact]
    public void Router_ReusingTheInstructProbesCache_GeneratesWhatAFreshPrefillDoes()
    {
        // Every category to the small model, τ = ∞: the probe runs and the small model serves from its cache.
        var everything = PolicyOptions.Default with
        {
            Tau = double.PositiveInfinity,
            Categories = new Dictionary<string, CategoryRule>
            {
                ["code"] = new(ModelRole.Small, DecodingStrategy.Plain), ["qa"] = new(ModelRole.Small, DecodingStrategy.Plain), ["math"] = new(ModelRole.Small, DecodingStrategy.Plain),
            },
            ContextLimit = 10_000,
        };
        using var reusing = new AioRouter(pair.Models, RoutingPolicies.Create(RoutingPolicies.Aio, everything));
        using var fresh = new AioRouter(pair.Models, RoutingPolicies.Create(RoutingPolicies.Aio, everything), new RouterOptions { ReuseProbePrefix = false });
        var options = new GenerationOptions { MaxNewTokens = 6 };

        var a = reusing.Generate(Chat, options);
        var b = fresh.Generate(Chat, options);

        Assert.Equal(ModelRole.Small, a.Decision.Model);
        Assert.True(a.ReusedPrefixTokens > 10, $"reused {a.ReusedPrefixTokens} tokens");
        Assert.Equal(0, b.ReusedPrefixTokens);
        Assert.Equal(b.Result.Tokens, a.Result.Tokens);
        Assert.Equal(pair.Small.Bundle.EncodePrompt(Chat).Length, a.Result.Metrics.PromptTokens);
    }

    [Fact]
    public void CalibrationSampler_OnAnInstructPair_MeasuresProbeAndRunsWithoutReuseMismatches()
    {
        RouteTarget[] targets = [new(ModelRole.Small, DecodingStrategy.Plain), new(ModelRole.Large, DecodingStrategy.Plain)];
        var sampler = new CalibrationSampler(pair.Models, targets, new CalibrationSamplerOptions { MaxNewTokensFor = _ => 3, Repetitions = 5 });

        var sample = sampler.Measure("q1", "What is the capital of France?", "qa", text => text.Length > 0);

        Assert.Equal(["code", "qa", "math"], sample.Probe.Distribution.Categories);
        Assert.Equal(2, sample.Outcomes.Count);
        Assert.NotNull(sample.ReusePrefillMs);
        Assert.Equal(0, sampler.ReuseMismatches);
        Assert.Equal(0, sampler.RepetitionMismatches);
        Assert.All(sample.Outcomes.Values, o => Assert.Equal(5, o.RepetitionMs!.Count));
        Assert.All(sample.Outcomes.Values, o => Assert.Contains(o.GenerationMs, o.RepetitionMs!)); // the middle run stands for the request
        Assert.Equal(pair.Small.Bundle.EncodePrompt(RequestPrompt.User("What is the capital of France?")).Length, sample.ContextTokens);
    }

    [Fact]
    public void Bundle_WithoutProbeTokensOrChatTemplate_IsRefusedNamingBoth()
    {
        var root = TestSupport.TempDirectory.Create("no-probe");
        try
        {
            var bundle = TestSupport.ChatStandIn.Export(root, "llama3_1", "base", edit: checkpoint =>
            {
                var config = Path.Combine(checkpoint, "tokenizer_config.json");
                var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!.AsObject();
                json.Remove("chat_template");
                File.WriteAllText(config, json.ToJsonString());
            });
            using var model = Engine.Models.LanguageModel.Load(pair.Device, Engine.Models.ModelBundle.Load(bundle));
            Assert.Null(model.Manifest.Templates.Chat);
            Assert.Null(model.Manifest.CategoryLabels);

            var e = Assert.Throws<RoutingException>(() => new IntentProbe(model));

            Assert.Contains("templates.probe", e.Message);
            Assert.Contains("templates.chat", e.Message);
        }
        finally
        {
            TestSupport.TempDirectory.Delete(root);
        }
    }
}
