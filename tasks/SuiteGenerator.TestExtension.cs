using AscendAio.Tasks.Families;

namespace AscendAio.Tasks;

public sealed partial class SuiteGenerator
{
    /// <summary>
    /// Appends <see cref="SuiteSizes.TestExtensionPerFamily"/> held-out items to the code, math and qa test splits,
    /// and long items to the long test split until each of its categories holds <see cref="SuiteSizes.LongTestPerCategory"/>.
    /// Runs after every other split is drawn, so those stay as they were without the extension, and every extension
    /// item is checked against all of them. qa continues with the held-out facts and two-hop questions that the test
    /// and calibration splits left unused: training never asks them in that form either.
    /// </summary>
    private void ExtendTests(HashSet<string> used, Dictionary<(string, string), IReadOnlyList<TaskItem>> result, QaHeldOutSource qa)
    {
        if (_sizes.TestExtensionPerFamily > 0)
        {
            Extend(used, result, TaskFamilies.Code, _sizes.TestExtensionPerFamily, (rng, id) => CodeFamily.Generate(rng, id));
            Extend(used, result, TaskFamilies.Math, _sizes.TestExtensionPerFamily, (rng, id) => MathFamily.Generate(rng, id));
            var test = result[(TaskFamilies.Qa, Splits.Test)].ToList();
            qa.Append(test, test.Count + _sizes.TestExtensionPerFamily, Splits.Test, DeterministicRng.Derive(Seed, $"qa/{ExtensionSplit}"), used);
            result[(TaskFamilies.Qa, Splits.Test)] = test;
        }

        var longTest = result[(TaskFamilies.Long, Splits.Test)];
        var missing = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [TaskFamilies.Code] = _sizes.LongTestPerCategory - longTest.Count(i => i.Category == TaskFamilies.Code),
            [TaskFamilies.Qa] = _sizes.LongTestPerCategory - longTest.Count(i => i.Category == TaskFamilies.Qa),
        };
        var extra = missing.Values.Where(n => n > 0).Sum();
        if (extra == 0)
            return;
        // Long items come in both categories at random: one of a category already full is drawn and passed over.
        Extend(used, result, TaskFamilies.Long, extra, (rng, id) =>
        {
            var item = LongFamily.Generate(rng, id, _sizes.LongMinChars, _sizes.LongMaxChars, favourShort: false);
            if (missing[item.Category] <= 0)
                return null;
            missing[item.Category]--;
            return item;
        });
    }

    /// <summary>The name the extension's random streams are derived under; its items keep the test split's ids.</summary>
    private const string ExtensionSplit = "test-extension";

    private void Extend(HashSet<string> used, Dictionary<(string, string), IReadOnlyList<TaskItem>> result, string family, int count,
        Func<DeterministicRng, string, TaskItem?> make)
    {
        var items = result[(family, Splits.Test)].ToList();
        DrawInto(items, used, DeterministicRng.Derive(Seed, $"{family}/{ExtensionSplit}"), $"{family}/{ExtensionSplit}", $"{family}-{Splits.Test}-", count, make);
        result[(family, Splits.Test)] = items;
    }

    /// <summary>
    /// qa's held-out questions, in the order the splits take them: single facts in the form training never pairs with
    /// them, alternating with two-hop questions about the neighbour's held-out fact.
    /// </summary>
    private sealed class QaHeldOutSource(KnowledgeBase kb, List<(Person Person, FactAttribute FactAttribute, int HeldOutForm)> pairs,
        List<(Person Person, FactAttribute HeldOut)> hops)
    {
        private int _nextPair, _nextHop;

        /// <summary>Appends questions to <paramref name="target"/> until it holds <paramref name="size"/> items.</summary>
        public void Append(List<TaskItem> target, int size, string split, DeterministicRng formRng, HashSet<string> used)
        {
            // Alternate single-fact and two-hop questions, so any prefix of a split holds both about equally.
            while (target.Count < size)
            {
                string id = $"qa-{split}-{target.Count:D5}";
                TaskItem item;
                if (target.Count % 2 == 1 && _nextHop < hops.Count)
                {
                    var (p, a) = hops[_nextHop++];
                    item = QaFamily.TwoHopQuestion(id, p, kb.Named(p.Neighbour), a);
                }
                else
                {
                    if (_nextPair == pairs.Count)
                        throw new InvalidOperationException($"qa/{split}: the knowledge base has too few facts for {size} held-out questions");
                    var (p, a, form) = pairs[_nextPair++];
                    item = QaFamily.Question(formRng, id, p, a, form);
                }
                if (used.Add(item.Request))
                    target.Add(item);
            }
        }
    }
}
