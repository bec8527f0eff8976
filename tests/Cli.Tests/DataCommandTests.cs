using System.Text.Json;
using AscendAio.Tasks;
using KnowledgeBase = AscendAio.Tasks.Families.KnowledgeBase;
using AscendAio.Tasks.Formats;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio data generate`: the knowledge-base size option that training pilots use; `aio data score` of a completions file.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-data");

    public void Dispose() => TempDirectory.Delete(_root);

    [Theory]
    [InlineData("1")]
    [InlineData("many")]
    public void Generate_PeopleBelowTwoOrNotANumber_IsAUsageError(string people)
    {
        var (exit, _, stderr) = AioConsole.Run("data", "generate", "--out", _root, "--people", people);

        Assert.Equal(2, exit);
        Assert.Contains($"--people must be an integer of at least 2, got '{people}'", stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public void Generate_People_SizesTheQaKnowledgeBase()
    {
        var (exit, _, stderr) = AioConsole.Run("data", "generate", "--out", _root, "--seed", "5", "--people", "130");

        Assert.True(exit == 0, stderr);
        var train = TaskJsonl.Read(Path.Combine(_root, TaskFamilies.Qa, Splits.Train + ".jsonl"));
        var cards = train.Where(i => i.Id.StartsWith("qa-card-", StringComparison.Ordinal)).ToList();
        Assert.Equal(130 * KnowledgeBase.FactCardPhrasings, cards.Count);
        var kb = KnowledgeBase.Create(5, 130);
        Assert.All(kb.People, p => Assert.Contains(cards, c => c.Request.Contains(p.Name, StringComparison.Ordinal)));
    }

    [Fact]
    public void Generate_PeopleTooFewForTheHeldOutSplits_SaysSoAndExits1()
    {
        var (exit, _, stderr) = AioConsole.Run("data", "generate", "--out", _root, "--people", "20");

        Assert.Equal(1, exit);
        Assert.Contains("the knowledge base has too few facts for 150 held-out questions", stderr);
    }

    [Fact]
    public void Score_CountsTheCompletionsThatGiveTheAnswer_AsJsonOnStdout_OrInAFile()
    {
        var suite = Path.Combine(_root, "math.jsonl");
        var completions = Path.Combine(_root, "completions.jsonl");
        var items = new SuiteGenerator(SuiteGenerator.ReferenceSeed).Generate(TaskFamilies.Math, Splits.Test).Take(5).ToList();
        TaskJsonl.Write(suite, items);
        // Three give the item's reference answer, two answer nonsense.
        File.WriteAllLines(completions, items.Select((item, i) => JsonSerializer.Serialize(new { id = item.Id, completion = i < 3 ? item.Answer : "no idea" })));
        var file = Path.Combine(_root, "score.json");

        var (exit, stdout, stderr) = AioConsole.Run("data", "score", "--suite", suite, "--completions", completions, "--json");
        var (fileExit, tables, _) = AioConsole.Run("data", "score", "--suite", suite, "--completions", completions, "--json", file);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal((5, 3), (json.RootElement.GetProperty("scored").GetInt32(), json.RootElement.GetProperty("passed").GetInt32()));
        Assert.Equal(0, fileExit);
        Assert.StartsWith($"{suite}: 3/5 = 60", tables);
        Assert.Equal(stdout.Trim(), File.ReadAllText(file));
    }
}
