using AscendAio.Engine.Templates;

namespace AscendAio.Engine.Tests.Templates;

/// <summary>Every (real template × our case) renders byte for byte as @huggingface/jinja rendered it.</summary>
public sealed class TemplateReferenceParityTests
{
    // Where @huggingface/jinja departs from Python's Jinja2 (what transformers renders with), we follow Jinja2.
    private static readonly Dictionary<(string Template, string Case), string> KnownDivergences = new()
    {
        // Llama 2 tests `system_message != false`; JavaScript's loose equality makes "" == false, Jinja2 does not.
        [("llama2", "empty_system")] = "<s>[INST] <<SYS>>\n\n<</SYS>>\n\nHi [/INST]",
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in ReferenceTemplates.ExpectedFiles())
            foreach (var c in ReferenceTemplates.Expected(file)["cases"]!.AsArray())
                data.Add(file, (string)c!["name"]!);
        return data;
    }

    [Fact]
    public void ReferenceOutputs_CoverEveryNpmTemplate_WithAtLeastFifteenCases()
    {
        var files = ReferenceTemplates.ExpectedFiles().Where(f => f.StartsWith("expected", StringComparison.Ordinal)).ToList();
        Assert.Equal(["expected/deepseek_v3.json", "expected/gemma3.json", "expected/llama3_1.json", "expected/qwen2_5.json", "expected/qwen3.json"], files);
        foreach (var file in files) Assert.True(ReferenceTemplates.Expected(file)["cases"]!.AsArray().Count >= 15, file);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_MatchesReferenceRenderer(string expectedFile, string caseName)
    {
        var expected = ReferenceTemplates.Expected(expectedFile);
        var reference = expected["cases"]!.AsArray().Single(c => (string)c!["name"]! == caseName)!.AsObject();
        var template = ReferenceTemplates.Load(expected);
        var input = ReferenceTemplates.Input(expected, ReferenceTemplates.Case(caseName));

        if (KnownDivergences.TryGetValue(((string)expected["template"]!, caseName), out var jinja2))
        {
            Assert.NotEqual((string?)reference["output"], jinja2);
            Assert.Equal(jinja2, template.Render(input));
        }
        else if (reference["output"] is { } output)
        {
            Assert.Equal((string)output!, template.Render(input));
        }
        else if ((bool)reference["raised"]!)
        {
            var e = Assert.Throws<ChatTemplateRaisedException>(() => template.Render(input));
            Assert.Equal((string)reference["error"]!, e.TemplateMessage);
        }
        else
        {
            Assert.ThrowsAny<ChatTemplateRenderException>(() => template.Render(input));
        }
    }
}
