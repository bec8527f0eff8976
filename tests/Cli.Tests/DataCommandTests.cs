using AscendAio.Tasks;
using KnowledgeBase = AscendAio.Tasks.Families.KnowledgeBase;
using AscendAio.Tasks.Formats;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio data generate`: the knowledge-base size option that training pilots use.</summary>
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
}
