using AscendAio.Router.Policies;

namespace AscendAio.Router.Tests;

/// <summary>The policy file's "probe" section: an instruct probe's labels, instruction and answer prefix.</summary>
public sealed class PolicyProbeSectionTests
{
    private const string WithProbe = """
        {
          "policy": "aio",
          "probe": { "labels": { "code": "program", "qa": "question", "math": "calculation" }, "instruction": "Kind? {labels}.", "answer_prefix": "Kind: " }
        }
        """;

    [Fact]
    public void Parse_ReadsTheProbeSection_AndSaveWritesItBack()
    {
        var file = PolicyFile.Parse(WithProbe);

        var probe = file.Options.InstructProbe!;
        Assert.Equal(new Dictionary<string, string> { ["code"] = "program", ["qa"] = "question", ["math"] = "calculation" }, probe.Labels);
        Assert.Equal("Kind? {labels}.", probe.Instruction);
        Assert.Equal("Kind: ", probe.AnswerPrefix);

        var again = PolicyFile.Parse(file.ToJson()).Options.InstructProbe!;
        Assert.Equal(probe.Labels, again.Labels);
        Assert.Equal((probe.Instruction, probe.AnswerPrefix), (again.Instruction, again.AnswerPrefix));
    }

    [Fact]
    public void Parse_WithoutAProbeSection_LeavesItToTheBundle()
    {
        Assert.Null(PolicyFile.Parse("""{ "policy": "aio" }""").Options.InstructProbe);
        Assert.DoesNotContain("\"probe\"", PolicyFile.Parse("""{ "policy": "aio" }""").ToJson());
    }

    [Theory]
    [InlineData("""{ "probe": { "label": { "code": "x" } } }""", "probe.label: unknown field")]
    [InlineData("""{ "probe": { "labels": { "code": "code" } } }""", "probe.labels: at least 2 categories")]
    [InlineData("""{ "probe": { "labels": { "code": "code", "qa": " " } } }""", "probe.labels.qa: the label is empty")]
    [InlineData("""{ "probe": { "labels": { "code": 3, "qa": "qa" } } }""", "probe.labels.code: expected a string")]
    [InlineData("""{ "probe": "code" }""", "probe: expected an object")]
    public void Parse_BadProbeSection_NamesTheField(string json, string message)
    {
        var e = Assert.Throws<RoutingException>(() => PolicyFile.Parse(json, "p.json"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("p.json: ", e.Message);
    }
}
