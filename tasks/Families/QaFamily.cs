namespace AscendAio.Tasks.Families;

/// <summary>
/// C-eval / MMLU analog over the <see cref="KnowledgeBase"/>: short-answer questions in three
/// phrasings per attribute, and a four-option multiple-choice form answered with a letter.
/// </summary>
public static class QaFamily
{
    /// <summary>Forms 0..2 are short-answer phrasings, form 3 is multiple choice.</summary>
    public const int FormCount = 4;
    public const int MultipleChoiceForm = 3;

    private static readonly Dictionary<FactAttribute, string[]> Phrasings = new()
    {
        [FactAttribute.City] = ["Where does {0} live?", "In which city does {0} live?", "Name the home city of {0}."],
        [FactAttribute.Job] = ["What does {0} do for a living?", "What is the job of {0}?", "Which profession does {0} have?"],
        [FactAttribute.Pet] = ["What pet does {0} keep?", "Which animal does {0} own?", "Name the pet of {0}."],
        [FactAttribute.Year] = ["In what year was {0} born?", "When was {0} born?", "Give the birth year of {0}."],
    };

    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static TaskItem Question(DeterministicRng rng, string id, Person person, FactAttribute attribute, int form)
    {
        string gold = person.Value(attribute);
        if (form != MultipleChoiceForm)
        {
            return new TaskItem
            {
                Id = id,
                Family = TaskFamilies.Qa,
                Category = TaskFamilies.Qa,
                Request = string.Format(Phrasings[attribute][form], person.Name),
                Answer = gold,
                Scorer = new ScorerData { Kind = "exact", Gold = gold },
            };
        }

        var options = new List<string> { gold };
        var pool = KnowledgeBase.Choices(attribute);
        while (options.Count < 4)
        {
            string o = rng.Pick(pool);
            if (!options.Contains(o))
                options.Add(o);
        }
        rng.Shuffle(options);
        string letter = Letters[options.IndexOf(gold)];
        string stem = string.Format(Phrasings[attribute][rng.Next(3)], person.Name);
        string listed = string.Join(" ", options.Select((o, i) => $"{Letters[i]}) {o}"));
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Qa,
            Category = TaskFamilies.Qa,
            Request = $"{stem} Options: {listed}. Answer with the letter.",
            Answer = letter,
            Scorer = new ScorerData { Kind = "letter", Gold = letter },
        };
    }

    private static readonly string[] CardRequests =
    [
        "Tell me what you know about {0}.", "Who is {0}?", "Describe {0}.",
        "Give a short profile of {0}.", "What do you know about {0}?", "Summarise the facts about {0}.",
    ];

    /// <summary>A training item that states every fact about a person, in the given phrasing (request and answer).</summary>
    public static TaskItem FactCard(string id, Person person, int phrasing)
    {
        string card = KnowledgeBase.FactCard(person, phrasing);
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Qa,
            Category = TaskFamilies.Qa,
            Request = string.Format(CardRequests[phrasing], person.Name),
            Answer = card,
            Scorer = new ScorerData { Kind = "exact", Gold = card },
        };
    }
}
