namespace AscendAio.Tasks.Families;

/// <summary>
/// C-eval / MMLU analog over the <see cref="KnowledgeBase"/>: short-answer questions in three
/// phrasings per attribute, a four-option multiple-choice form answered with a letter, and two-hop
/// questions about a person's neighbour.
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

    private static readonly string[] NeighbourPhrasings =
        ["Who is the neighbour of {0}?", "Who lives next door to {0}?", "Name the neighbour of {0}."];

    /// <summary>Training's neighbour questions: one short answer, the neighbour's name, in any of three phrasings.</summary>
    public const int NeighbourFormCount = 3;

    public static TaskItem NeighbourQuestion(string id, Person person, int form) => new()
    {
        Id = id,
        Family = TaskFamilies.Qa,
        Category = TaskFamilies.Qa,
        Request = string.Format(NeighbourPhrasings[form], person.Name),
        Answer = person.Neighbour,
        Scorer = new ScorerData { Kind = "exact", Gold = person.Neighbour },
    };

    private static readonly Dictionary<FactAttribute, (string Question, string Clause)> TwoHop = new()
    {
        [FactAttribute.City] = ("Where does the neighbour of {0} live?", "who lives in {0}"),
        [FactAttribute.Job] = ("What does the neighbour of {0} do for a living?", "who works as a {0}"),
        [FactAttribute.Pet] = ("What pet does the neighbour of {0} keep?", "who keeps a {0}"),
        [FactAttribute.Year] = ("When was the neighbour of {0} born?", "who was born in {0}"),
    };

    /// <summary>
    /// A two-hop question: a fact about the person's neighbour. The one-line answer names the neighbour, then states the
    /// fact ("Brai Tounkem, who keeps a cat."), and exact match needs both recalls right, so a model that recalls a
    /// fraction p of single facts answers about p² of these: depth compounds where storage alone saturates.
    /// </summary>
    public static TaskItem TwoHopQuestion(string id, Person person, Person neighbour, FactAttribute attribute)
    {
        if (neighbour.Name != person.Neighbour)
            throw new ArgumentException($"{neighbour.Name} is not the neighbour of {person.Name}", nameof(neighbour));
        var (question, clause) = TwoHop[attribute];
        string answer = $"{neighbour.Name}, {string.Format(clause, neighbour.Value(attribute))}.";
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Qa,
            Category = TaskFamilies.Qa,
            Request = string.Format(question, person.Name),
            Answer = answer,
            Scorer = new ScorerData { Kind = "exact", Gold = answer },
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
