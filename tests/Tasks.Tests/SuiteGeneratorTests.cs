using System.Text.RegularExpressions;
using KnowledgeBase = AscendAio.Tasks.Families.KnowledgeBase;
using LongFamily = AscendAio.Tasks.Families.LongFamily;
using QaFamily = AscendAio.Tasks.Families.QaFamily;
using PersonFact = AscendAio.Tasks.Families.FactAttribute;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Tasks.Tests;

public class SuiteGeneratorTests
{
    // Small sizes keep the tests fast; the disjointness logic is the same at any size. No test extension here
    // (SuiteTestExtensionTests covers it).
    private static readonly SuiteSizes Small = new()
    {
        TrainCode = 300, TrainMath = 300, TrainMathDrills = 200, TrainLong = 60, TestPerFamily = 100, CalibrationPerFamily = 130,
        People = 120, ProbePerCategory = 100, TestExtensionPerFamily = 0, LongTestPerCategory = 0,
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
        var train = Suite.Value[(TaskFamilies.Qa, Splits.Train)];
        var cards = train.Where(i => i.Id.StartsWith("qa-card-")).ToList();
        Assert.Equal(Small.People * KnowledgeBase.FactCardPhrasings, cards.Count);
        var kb = KnowledgeBase.Create(42, Small.People);
        foreach (var item in Suite.Value[(TaskFamilies.Qa, Splits.Test)])
        {
            var person = Assert.Single(kb.People, p => item.Request.Contains(p.Name));
            var own = cards.Where(c => c.Request.Contains(person.Name)).ToList();
            Assert.Equal(KnowledgeBase.FactCardPhrasings, own.Count);
            Assert.All(own, c => Assert.Contains(person.City, c.Answer));
            Assert.All(own, c => Assert.EndsWith($"The neighbour of {person.Name} is {person.Neighbour}.", c.Answer));
            if (IsTwoHop(item))
            {
                // Both hops are stated: the neighbour in the person's cards, the fact in the neighbour's own cards.
                var neighbour = kb.Named(person.Neighbour);
                Assert.StartsWith(neighbour.Name + ", who ", item.Answer);
                string fact = item.Answer[(neighbour.Name.Length + 2)..^1];
                var theirs = cards.Where(c => c.Request.Contains(neighbour.Name)).ToList();
                Assert.All(theirs, c => Assert.Contains(fact.Split(' ')[^1], c.Answer));
            }
            else if (item.Scorer.Kind == "exact")
            {
                Assert.All(own, c => Assert.Contains(item.Answer, c.Answer));
            }
        }
    }

    [Fact]
    public void GenerateAll_QaHeldOutSplitsAlternateSingleFactAndTwoHopQuestions()
    {
        foreach (var split in new[] { Splits.Test, Splits.Calibration })
        {
            var items = Suite.Value[(TaskFamilies.Qa, split)];
            Assert.Equal(items.Count / 2, items.Count(IsTwoHop));
            Assert.All(items.Where((_, k) => k % 2 == 0), i => Assert.False(IsTwoHop(i), i.Request));
        }
    }

    [Fact]
    public void GenerateAll_TrainingAsksEachNeighbourEveryFactButTheHeldOutOne()
    {
        var train = Suite.Value[(TaskFamilies.Qa, Splits.Train)];
        var trainHops = train.Where(IsTwoHop).Select(i => i.Request).ToHashSet();
        Assert.Equal(Small.People * 3, trainHops.Count);
        var kb = KnowledgeBase.Create(42, Small.People);
        foreach (var split in new[] { Splits.Test, Splits.Calibration })
        {
            foreach (var item in Suite.Value[(TaskFamilies.Qa, split)].Where(IsTwoHop))
            {
                var person = Assert.Single(kb.People, p => item.Request.Contains(p.Name));
                Assert.Equal(3, trainHops.Count(r => r.Contains(person.Name)));
                Assert.DoesNotContain(item.Request, trainHops);
            }
        }
        // Every neighbour is asked by name in training, in all three phrasings.
        Assert.Equal(Small.People * QaFamily.NeighbourFormCount,
            train.Count(i => kb.People.Any(p => i.Answer == p.Neighbour)));
    }

    [Fact]
    public void KnowledgeBase_Create_RejectsFewerThanTwoPeople()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KnowledgeBase.Create(42, 1));
        Assert.Contains("at least 2 people", ex.Message);
    }

    [Fact]
    public void KnowledgeBase_NeighboursFormOneCycleThroughEveryone()
    {
        var kb = KnowledgeBase.Create(42, Small.People);
        Assert.All(kb.People, p => Assert.NotEqual(p.Name, p.Neighbour));
        Assert.Equal(kb.People.Select(p => p.Name).Order(), kb.People.Select(p => p.Neighbour).Order());
        var start = kb.People[0];
        var at = start;
        int steps = 0;
        do
        {
            at = kb.Named(at.Neighbour);
            steps++;
        } while (at != start && steps <= kb.People.Count);
        Assert.Equal(kb.People.Count, steps);
    }

    [Fact]
    public void QaFamily_TwoHopQuestion_RejectsAPersonWhoIsNotTheNeighbour()
    {
        var kb = KnowledgeBase.Create(42, Small.People);
        var p = kb.People[0];
        var stranger = kb.People.First(q => q.Name != p.Neighbour && q.Name != p.Name);
        var ex = Assert.Throws<ArgumentException>(() => QaFamily.TwoHopQuestion("x", p, stranger, PersonFact.Pet));
        Assert.Contains("is not the neighbour of", ex.Message);
        var item = QaFamily.TwoHopQuestion("x", p, kb.Named(p.Neighbour), PersonFact.Pet);
        Assert.Equal($"{p.Neighbour}, who keeps a {kb.Named(p.Neighbour).Pet}.", item.Answer);
    }

    private static bool IsTwoHop(TaskItem item) => item.Request.Contains("the neighbour of ") && item.Answer.Contains(", who ");

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
    public void GenerateAll_LongTrainingPutsAboutHalfItsItemsAtTheTestLengths()
    {
        var train = Suite.Value[(TaskFamilies.Long, Splits.Train)];
        Assert.Equal(Small.TrainLong, train.Count);
        Assert.DoesNotContain(train, i => i.Id.Contains("drill"));
        int atTestLength = train.Count(i => i.Request.Length >= Small.LongMinChars);
        // Half are drawn there; a few of the log-uniform half land there too.
        Assert.InRange(atTestLength, train.Count * 3 / 10, train.Count * 8 / 10);
        Assert.Contains(train, i => i.Request.Length < 1000);
    }

    [Fact]
    public void GenerateAll_LockerItemsHoldExactlyOneNoteWithTheGoldCode()
    {
        var lockers = Suite.Value[(TaskFamilies.Long, Splits.Test)].Where(i => i.Category == TaskFamilies.Qa).ToList();
        Assert.NotEmpty(lockers);
        Assert.All(lockers, i =>
        {
            var box = Regex.Match(i.Request, @"\nWhat is the locker code for box ([A-Z])\?$").Groups[1].Value;
            Assert.Single(Regex.Matches(i.Request, "The locker code for box"));
            Assert.Contains($"The locker code for box {box} is {i.Answer}.", i.Request);
        });
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
