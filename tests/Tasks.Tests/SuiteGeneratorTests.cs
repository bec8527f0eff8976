using System.Text.RegularExpressions;
using KnowledgeBase = AscendAio.Tasks.Families.KnowledgeBase;
using LongFamily = AscendAio.Tasks.Families.LongFamily;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Tasks.Tests;

public class SuiteGeneratorTests
{
    // Small sizes keep the tests fast; the disjointness logic is the same at any size.
    private static readonly SuiteSizes Small = new()
    {
        TrainCode = 300, TrainMath = 300, TrainMathDrills = 200, TrainLong = 20, TrainLongDrills = 40, TestPerFamily = 100, CalibrationPerFamily = 130,
        People = 120, ProbePerCategory = 100,
    };

    private static readonly Lazy<IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>>> Suite =
        new(() => new SuiteGenerator(42, Small).GenerateAll());

    [Fact]
    public void GenerateAll_SameSeed_GivesIdenticalItems()
    {
        var again = new SuiteGenerator(42, Small).GenerateAll();
        foreach (var (key, items) in Suite.Value)
            Assert.Equal(items.Select(i => i.Request + "|" + i.Answer), again[key].Select(i => i.Request + "|" + i.Answer));
    }

    [Fact]
    public void GenerateAll_DifferentSeed_GivesDifferentItems()
    {
        var other = new SuiteGenerator(43, Small).GenerateAll();
        Assert.NotEqual(Suite.Value[(TaskFamilies.Code, Splits.Test)].Select(i => i.Request),
            other[(TaskFamilies.Code, Splits.Test)].Select(i => i.Request));
    }

    [Fact]
    public void GenerateAll_NoRequestAppearsInTwoSplits()
    {
        var seen = new Dictionary<string, string>();
        foreach (var ((family, split), items) in Suite.Value)
        {
            foreach (var item in items)
                Assert.True(seen.TryAdd(item.Request, $"{family}/{split}"), $"'{item.Request}' is in {seen.GetValueOrDefault(item.Request)} and {family}/{split}");
        }
    }

    [Fact]
    public void GenerateAll_HeldOutSplitsHaveTheRequestedSizes()
    {
        foreach (var family in TaskFamilies.Generated)
        {
            Assert.Equal(100, Suite.Value[(family, Splits.Test)].Count);
            Assert.Equal(130, Suite.Value[(family, Splits.Calibration)].Count);
        }
        var probe = Suite.Value[(TaskFamilies.Probe, Splits.Test)];
        Assert.Equal(300, probe.Count);
        Assert.All(TaskFamilies.Categories, c => Assert.Equal(100, probe.Count(i => i.Category == c)));
        Assert.True(TaskFamilies.Generated.Sum(f => Suite.Value[(f, Splits.Calibration)].Count) >= 500);
    }

    [Fact]
    public void GenerateAll_ReferenceAnswersScoreCorrect()
    {
        var scorer = new TaskScorer();
        foreach (var ((family, split), items) in Suite.Value)
        {
            foreach (var item in items.Take(200))
                Assert.True(scorer.Score(item, item.Answer), $"{item.Id}: reference answer fails its own scorer");
        }
    }

    [Fact]
    public void GenerateAll_EveryQaTestFactIsStatedInTraining()
    {
        var cards = Suite.Value[(TaskFamilies.Qa, Splits.Train)].Where(i => i.Id.StartsWith("qa-card-")).ToList();
        Assert.Equal(Small.People * KnowledgeBase.FactCardPhrasings, cards.Count);
        var people = KnowledgeBase.Create(42, Small.People).People;
        foreach (var item in Suite.Value[(TaskFamilies.Qa, Splits.Test)])
        {
            var person = Assert.Single(people, p => item.Request.Contains(p.Name));
            var own = cards.Where(c => c.Request.Contains(person.Name)).ToList();
            Assert.Equal(KnowledgeBase.FactCardPhrasings, own.Count);
            Assert.All(own, c => Assert.Contains(person.City, c.Answer));
            if (item.Scorer.Kind == "exact")
                Assert.All(own, c => Assert.Contains(item.Answer, c.Answer));
        }
    }

    [Fact]
    public void GenerateAll_MathDrillsAreTrainingOnlyOneStepProblems()
    {
        var drills = Suite.Value[(TaskFamilies.Math, Splits.Train)].Where(i => i.Id.StartsWith("math-drill-")).ToList();
        Assert.Equal(Small.TrainMathDrills, drills.Count);
        Assert.Equal(Small.TrainMath, Suite.Value[(TaskFamilies.Math, Splits.Train)].Count - drills.Count);
        var scorer = new TaskScorer();
        Assert.All(drills, d =>
        {
            Assert.Equal(2, d.Answer.Split('\n').Length);
            Assert.True(scorer.Score(d, d.Answer));
        });
        foreach (var split in new[] { Splits.Test, Splits.Calibration })
            Assert.DoesNotContain(Suite.Value[(TaskFamilies.Math, split)], i => i.Id.Contains("drill"));
    }

    [Fact]
    public void GenerateAll_LongDrillsAreTrainingOnlyAndRepeatTheAskedNotesInOrder()
    {
        var train = Suite.Value[(TaskFamilies.Long, Splits.Train)];
        var drills = train.Where(i => i.Id.StartsWith("long-drill-")).ToList();
        Assert.Equal(Small.TrainLongDrills, drills.Count);
        Assert.Equal(Small.TrainLong, train.Count - drills.Count);
        var scorer = new TaskScorer();
        Assert.All(drills, d =>
        {
            var asked = Regex.Match(d.Request, @"\nRepeat the notes for boxes (.+)\.$").Groups[1].Value
                .Replace(" and ", ", ").Split(", ");
            var lines = Regex.Split(d.Answer, @"(?<=\.) ");
            Assert.InRange(lines.Length, 3, 5);
            Assert.Equal(asked.Length, lines.Length);
            for (int k = 0; k < lines.Length; k++)
            {
                Assert.StartsWith($"The locker code for box {asked[k]} is ", lines[k]);
                // The line is the box's only note in the context, word for word.
                Assert.Single(Regex.Matches(d.Request, $"box {asked[k]} is "));
                Assert.Contains(lines[k], d.Request);
            }
            Assert.InRange(Regex.Matches(d.Request, "The locker code for box").Count, 8, 12);
            Assert.True(scorer.Score(d, d.Answer));
        });
        foreach (var split in new[] { Splits.Test, Splits.Calibration })
            Assert.DoesNotContain(Suite.Value[(TaskFamilies.Long, split)], i => i.Id.Contains("drill"));
    }

    [Fact]
    public void GenerateAll_LongItemsCarryTheirUnderlyingCategory()
    {
        var items = Suite.Value[(TaskFamilies.Long, Splits.Test)];
        Assert.All(items, i => Assert.Contains(i.Category, new[] { TaskFamilies.Code, TaskFamilies.Qa }));
        Assert.Contains(items, i => i.Category == TaskFamilies.Code);
        Assert.Contains(items, i => i.Category == TaskFamilies.Qa);
        Assert.All(items, i => Assert.InRange(i.Request.Length, Small.LongMinChars, Small.LongMaxChars + 400));
    }

    [Fact]
    public void LongFamily_FavourShort_DrawsMostItemsShortAndStillReachesTheLongEnd()
    {
        static List<int> Lengths(bool favourShort)
        {
            var rng = new DeterministicRng(7);
            return Enumerable.Range(0, 200)
                .Select(i => LongFamily.Generate(rng, $"long-{i}", 200, 8500, favourShort).Request.Length)
                .Order().ToList();
        }

        var logUniform = Lengths(favourShort: true);
        var uniform = Lengths(favourShort: false);
        // Log-uniform over [200, 8500] has its median at sqrt(200 * 8500) ~ 1,300 characters; uniform at ~4,350.
        Assert.InRange(logUniform[100], 900, 2000);
        Assert.InRange(uniform[100], 3500, 5300);
        Assert.True(logUniform[^1] > 6000, $"longest favour-short item has {logUniform[^1]} characters");
        Assert.All(logUniform, n => Assert.InRange(n, 200, 8500 + 400));
    }

    [Fact]
    public void DeterministicRng_SameSeed_SameSequence()
    {
        var a = new DeterministicRng(5);
        var b = new DeterministicRng(5);
        Assert.Equal(Enumerable.Range(0, 20).Select(_ => a.Next(1000)), Enumerable.Range(0, 20).Select(_ => b.Next(1000)));
    }
}
