using AscendAio.Tasks.Families;

namespace AscendAio.Tasks;

/// <summary>
/// Generates every family's train / calibration / test split and the probe test set from one seed.
/// Held-out splits are drawn first and their request texts are excluded from everything drawn
/// later, so no request appears in two splits. qa shares one knowledge base: every fact is stated
/// in training, but each held-out question uses a form (phrasing or multiple choice) that training
/// never pairs with that fact, and each held-out two-hop question asks a fact of the neighbour that
/// training's two-hop questions about that person never ask. The test splits are then extended (<see cref="SuiteSizes.TestExtensionPerFamily"/>,
/// <see cref="SuiteSizes.LongTestPerCategory"/>) by items drawn after every other split, so those stay as the shipped
/// reference pair was trained with.
/// </summary>
public sealed partial class SuiteGenerator(ulong seed, SuiteSizes? sizes = null)
{
    /// <summary>
    /// The seed the shipped reference pair was trained with (tools/train/train.sh). Evaluation must draw its
    /// held-out splits from the same seed: qa's knowledge base (its people and their facts) comes from the seed,
    /// and splits are disjoint only within one seed.
    /// </summary>
    public const ulong ReferenceSeed = 1234;

    private readonly SuiteSizes _sizes = sizes ?? SuiteSizes.Default;

    public ulong Seed { get; } = seed;

    /// <summary>Items keyed by (family, split); family "probe" has only a test split.</summary>
    public IReadOnlyDictionary<(string Family, string Split), IReadOnlyList<TaskItem>> GenerateAll()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new Dictionary<(string, string), IReadOnlyList<TaskItem>>();

        var qaHeldOut = GenerateQa(used, result);
        foreach (var split in new[] { Splits.Test, Splits.Calibration, Splits.Train })
        {
            bool train = split == Splits.Train;
            result[(TaskFamilies.Code, split)] = Draw(used, TaskFamilies.Code, split, Count(TaskFamilies.Code, split),
                (rng, id) => CodeFamily.Generate(rng, id));
            result[(TaskFamilies.Math, split)] = Draw(used, TaskFamilies.Math, split, Count(TaskFamilies.Math, split),
                (rng, id) => MathFamily.Generate(rng, id));
            if (train)
                AppendTrainingDrills(used, result, TaskFamilies.Math, _sizes.TrainMathDrills, MathFamily.Drill);
            result[(TaskFamilies.Long, split)] = Draw(used, TaskFamilies.Long, split, Count(TaskFamilies.Long, split),
                (rng, id) => train && rng.NextDouble() >= _sizes.LongTrainAtTestLengths
                    ? LongFamily.Generate(rng, id, _sizes.LongTrainMinChars, _sizes.LongMaxChars, favourShort: true)
                    : LongFamily.Generate(rng, id, _sizes.LongMinChars, _sizes.LongMaxChars, favourShort: false));
        }
        result[(TaskFamilies.Probe, Splits.Test)] = GenerateProbe(used);
        ExtendTests(used, result, qaHeldOut);
        return result;
    }

    /// <summary>One family's split, generated in full (splits depend on each other through disjointness).</summary>
    public IReadOnlyList<TaskItem> Generate(string family, string split)
    {
        var all = GenerateAll();
        return all.TryGetValue((family, split), out var items)
            ? items
            : throw new ArgumentException($"unknown family/split '{family}/{split}'", nameof(family));
    }

    private int Count(string family, string split) => split switch
    {
        Splits.Test => _sizes.TestPerFamily,
        Splits.Calibration => _sizes.CalibrationPerFamily,
        _ => family switch
        {
            TaskFamilies.Code => _sizes.TrainCode,
            TaskFamilies.Math => _sizes.TrainMath,
            _ => _sizes.TrainLong,
        },
    };

    /// <summary>Training-only drills (ids <c>{family}-drill-*</c>) appended to a family's training split.</summary>
    private void AppendTrainingDrills(HashSet<string> used, Dictionary<(string, string), IReadOnlyList<TaskItem>> result,
        string family, int count, Func<DeterministicRng, string, TaskItem> make)
    {
        var drills = Draw(used, family, "drill", count, make);
        result[(family, Splits.Train)] = [.. result[(family, Splits.Train)], .. drills];
    }

    private List<TaskItem> Draw(HashSet<string> used, string family, string split, int count, Func<DeterministicRng, string, TaskItem> make)
    {
        var items = new List<TaskItem>(count);
        DrawInto(items, used, DeterministicRng.Derive(Seed, $"{family}/{split}"), $"{family}/{split}", $"{family}-{split}-", count, make);
        return items;
    }

    /// <summary>Appends <paramref name="count"/> requests not in <paramref name="used"/>; ids continue from the list's length.</summary>
    private static void DrawInto(List<TaskItem> items, HashSet<string> used, DeterministicRng rng, string what, string idPrefix, int count,
        Func<DeterministicRng, string, TaskItem?> make)
    {
        int target = items.Count + count, attempts = 0;
        while (items.Count < target)
        {
            if (++attempts > count * 20)
                throw new InvalidOperationException($"{what}: could not draw {count} distinct requests");
            var item = make(rng, $"{idPrefix}{items.Count:D5}");
            if (item is not null && used.Add(item.Request))
                items.Add(item);
        }
    }

    private QaHeldOutSource GenerateQa(HashSet<string> used, Dictionary<(string, string), IReadOnlyList<TaskItem>> result)
    {
        var kb = KnowledgeBase.Create(Seed, _sizes.People);
        var rng = DeterministicRng.Derive(Seed, "qa/pairs");
        var pairs = new List<(Person Person, FactAttribute FactAttribute, int HeldOutForm)>();
        foreach (var p in kb.People)
        {
            foreach (var a in Enum.GetValues<FactAttribute>())
                pairs.Add((p, a, rng.Next(QaFamily.FormCount)));
        }
        rng.Shuffle(pairs);

        // Each person's neighbour has one fact held out of the two-hop questions; training asks the other three.
        var hopRng = DeterministicRng.Derive(Seed, "qa/two-hop");
        var hops = kb.People.Select(p => (Person: p, HeldOut: (FactAttribute)hopRng.Next(4))).ToList();
        hopRng.Shuffle(hops);

        var source = new QaHeldOutSource(kb, pairs, hops);
        var test = new List<TaskItem>();
        var calibration = new List<TaskItem>();
        var train = new List<TaskItem>();
        source.Append(test, _sizes.TestPerFamily, Splits.Test, DeterministicRng.Derive(Seed, $"qa/{Splits.Test}"), used);
        source.Append(calibration, _sizes.CalibrationPerFamily, Splits.Calibration, DeterministicRng.Derive(Seed, $"qa/{Splits.Calibration}"), used);

        var trainRng = DeterministicRng.Derive(Seed, "qa/train");
        foreach (var p in kb.People)
        {
            for (int phrasing = 0; phrasing < KnowledgeBase.FactCardPhrasings; phrasing++)
            {
                var card = QaFamily.FactCard($"qa-card-{train.Count:D5}", p, phrasing);
                if (used.Add(card.Request))
                    train.Add(card);
            }
        }
        foreach (var (p, a, heldOut) in pairs)
        {
            for (int form = 0; form < QaFamily.FormCount; form++)
            {
                if (form == heldOut)
                    continue;
                var item = QaFamily.Question(trainRng, $"qa-train-{train.Count:D5}", p, a, form);
                if (used.Add(item.Request))
                    train.Add(item);
            }
        }
        foreach (var p in kb.People)
        {
            for (int form = 0; form < QaFamily.NeighbourFormCount; form++)
            {
                var item = QaFamily.NeighbourQuestion($"qa-train-{train.Count:D5}", p, form);
                if (used.Add(item.Request))
                    train.Add(item);
            }
        }
        foreach (var (p, heldOut) in hops)
        {
            foreach (var a in Enum.GetValues<FactAttribute>())
            {
                if (a == heldOut)
                    continue;
                var item = QaFamily.TwoHopQuestion($"qa-train-{train.Count:D5}", p, kb.Named(p.Neighbour), a);
                if (used.Add(item.Request))
                    train.Add(item);
            }
        }
        result[(TaskFamilies.Qa, Splits.Test)] = test;
        result[(TaskFamilies.Qa, Splits.Calibration)] = calibration;
        result[(TaskFamilies.Qa, Splits.Train)] = train;
        return source;
    }

    /// <summary>300 fresh requests, 100 per category, labelled with the category the probe must output.</summary>
    private List<TaskItem> GenerateProbe(HashSet<string> used)
    {
        var items = new List<TaskItem>();
        var kb = KnowledgeBase.Create(Seed, _sizes.People);
        foreach (var category in TaskFamilies.Categories)
        {
            var rng = DeterministicRng.Derive(Seed, $"probe/{category}");
            int count = 0, attempts = 0;
            while (count < _sizes.ProbePerCategory)
            {
                if (++attempts > _sizes.ProbePerCategory * 50)
                    throw new InvalidOperationException($"probe/{category}: could not draw enough distinct requests");
                string id = $"probe-test-{items.Count:D5}";
                var source = category switch
                {
                    TaskFamilies.Code => CodeFamily.Generate(rng, id),
                    TaskFamilies.Math => MathFamily.Generate(rng, id),
                    _ => QaFamily.Question(rng, id, rng.Pick(kb.People), (FactAttribute)rng.Next(4), rng.Next(QaFamily.FormCount)),
                };
                if (!used.Add(source.Request))
                    continue;
                items.Add(source with
                {
                    Family = TaskFamilies.Probe,
                    Answer = category,
                    Scorer = new ScorerData { Kind = "category", Gold = category },
                });
                count++;
            }
        }
        return items;
    }
}
