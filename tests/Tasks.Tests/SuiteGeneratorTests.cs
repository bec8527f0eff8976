using System.Text.RegularExpressions;
using KnowledgeBase = AscendAio.Tasks.Families.KnowledgeBase;
using LongFamily = AscendAio.Tasks.Families.LongFamily;
using QaFamily = AscendAio.Tasks.Families.QaFamily;
using Person = AscendAio.Tasks.Families.Person;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Tasks.Tests;

public class SuiteGeneratorTests
{
    // Small sizes keep the tests fast; the disjointness logic is the same at any size.
    private static readonly SuiteSizes Small = new()
    {
        TrainCode = 300, TrainMath = 300, TrainMathDrills = 200, TrainLong = 40, TestPerFamily = 100, CalibrationPerFamily = 130,
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
    public void GenerateAll_AThirdOfHeldOutQaItemsAreAgeQuestionsAnsweredByTheBirthYearPlusTheAge()
    {
        var people = KnowledgeBase.Create(42, Small.People).People;
        foreach (var split in new[] { Splits.Test, Splits.Calibration })
        {
            var items = Suite.Value[(TaskFamilies.Qa, split)];
            var ages = items.Where(i => i.Request.StartsWith("In what year did ")).ToList();
            Assert.Equal((int)Math.Round(items.Count / 3.0), ages.Count);
            Assert.All(ages, i =>
            {
                var m = Regex.Match(i.Request, @"^In what year did (.+) turn (\d+)\?$");
                var person = Assert.Single(people, p => p.Name == m.Groups[1].Value);
                int age = int.Parse(m.Groups[2].Value);
                Assert.InRange(age, 10, 60);
                Assert.Equal("number", i.Scorer.Kind);
                Assert.Equal((person.Year + age).ToString(), i.Scorer.Gold);
                Assert.StartsWith($"{person.Name} was born in {person.Year}.\n", i.Answer);
            });
        }
        // Training asks every person's age question at other ages: the held-out request itself is never trained.
        var trained = Suite.Value[(TaskFamilies.Qa, Splits.Train)].Where(i => i.Request.StartsWith("In what year did ")).ToList();
        Assert.InRange(trained.Count, Small.People * Small.TrainAgeQuestionsPerPerson * 9 / 10, Small.People * Small.TrainAgeQuestionsPerPerson);
    }

    [Fact]
    public void GenerateAll_LongQaItemsHideTheirPersonsCardAmongOthersAndNeverAskAHeldOutQaQuestion()
    {
        var people = KnowledgeBase.Create(42, Small.People).People;
        var heldOut = new[] { Splits.Test, Splits.Calibration }
            .SelectMany(s => Suite.Value[(TaskFamilies.Qa, s)]).Select(i => i.Request).ToHashSet();
        foreach (var split in new[] { Splits.Train, Splits.Test })
        {
            var qa = Suite.Value[(TaskFamilies.Long, split)].Where(i => i.Category == TaskFamilies.Qa).ToList();
            Assert.NotEmpty(qa);
            Assert.All(qa, i =>
            {
                string question = i.Request[(i.Request.LastIndexOf('\n') + 1)..];
                var person = Assert.Single(people, p => question.Contains(p.Name));
                // The person's own card and four other people's cards are in the context, word for word.
                bool HasCard(Person p) => Enumerable.Range(0, KnowledgeBase.FactCardPhrasings).Any(k => i.Request.Contains(KnowledgeBase.FactCard(p, k)));
                Assert.True(HasCard(person), $"{i.Id}: no card of {person.Name}");
                Assert.Equal(5, people.Count(HasCard));
                Assert.Equal("exact", i.Scorer.Kind);
                Assert.DoesNotContain(question, heldOut);
            });
        }
    }

    [Fact]
    public void GenerateAll_LongItemsCarryTheirUnderlyingCategory()
    {
        var items = Suite.Value[(TaskFamilies.Long, Splits.Test)];
        Assert.All(items, i => Assert.Contains(i.Category, new[] { TaskFamilies.Code, TaskFamilies.Qa }));
        Assert.Contains(items, i => i.Category == TaskFamilies.Code);
        Assert.Contains(items, i => i.Category == TaskFamilies.Qa);
        Assert.All(items, i => Assert.InRange(i.Request.Length, Small.LongMinChars, Small.LongMaxChars + 700));
    }

    [Fact]
    public void LongFamily_FavourShort_DrawsMostItemsShortAndStillReachesTheLongEnd()
    {
        static List<int> Lengths(bool favourShort)
        {
            var rng = new DeterministicRng(7);
            var kb = KnowledgeBase.Create(7, 50);
            var heldOutForms = kb.People.SelectMany(p => Enum.GetValues<Families.FactAttribute>().Select(a => (p, a)))
                .ToDictionary(x => x, _ => QaFamily.MultipleChoiceForm);
            return Enumerable.Range(0, 200)
                .Select(i => LongFamily.Generate(rng, $"long-{i}", kb, heldOutForms, 200, 8500, favourShort).Request.Length)
                .Order().ToList();
        }

        var logUniform = Lengths(favourShort: true);
        var uniform = Lengths(favourShort: false);
        // Log-uniform over [200, 8500] has its median at sqrt(200 * 8500) ~ 1,300 characters; uniform at ~4,350.
        Assert.InRange(logUniform[100], 900, 2000);
        Assert.InRange(uniform[100], 3500, 5300);
        Assert.True(logUniform[^1] > 6000, $"longest favour-short item has {logUniform[^1]} characters");
        Assert.All(logUniform, n => Assert.InRange(n, 200, 8500 + 700));
    }

    [Fact]
    public void DeterministicRng_SameSeed_SameSequence()
    {
        var a = new DeterministicRng(5);
        var b = new DeterministicRng(5);
        Assert.Equal(Enumerable.Range(0, 20).Select(_ => a.Next(1000)), Enumerable.Range(0, 20).Select(_ => b.Next(1000)));
    }
}
