namespace AscendAio.Tasks.Families;

/// <summary>
/// One fictional person, four facts about them, and their neighbour: another person of the same base, the link that
/// qa's two-hop questions follow (<see cref="QaFamily.TwoHopQuestion"/>).
/// </summary>
public sealed record Person(string Name, string City, string Job, string Pet, int Year)
{
    /// <summary>The name of this person's neighbour; every person is exactly one other person's neighbour.</summary>
    public string Neighbour { get; init; } = "";

    public string Value(FactAttribute a) => a switch
    {
        FactAttribute.City => City,
        FactAttribute.Job => Job,
        FactAttribute.Pet => Pet,
        _ => Year.ToString(),
    };
}

public enum FactAttribute { City, Job, Pet, Year }

/// <summary>
/// The qa family's fixed synthetic world: four facts per person (1,600 with <see cref="SuiteSizes"/>' 400 people) and
/// a neighbour link. 400 people with each training item presented twice an epoch is where storage separates the two
/// reference models: a qa-only pilot at that size recalled 40 of 54 held-out short answers with ref-small and 54 of 54
/// with ref-large, where 200 people seen four times each let both recall nearly all (tools/train/README.md).
/// </summary>
public sealed class KnowledgeBase
{
    internal static readonly string[] Cities =
    [
        "Marlow", "Tesh", "Quenby", "Dravik", "Olmsted", "Pellan", "Varo", "Huxley", "Brinmoor", "Castel",
        "Dunmere", "Elgin", "Fenwick", "Galloway", "Harrowgate", "Ilford", "Jarrow", "Kelso", "Lindor", "Morwen",
        "Norby", "Oakhill", "Penrith", "Quarry", "Redmond", "Selby", "Tarvin", "Ulverton", "Velden", "Wexley",
    ];

    internal static readonly string[] Jobs =
    [
        "baker", "carpenter", "pilot", "teacher", "nurse", "farmer", "painter", "tailor", "miner", "sailor",
        "chemist", "lawyer", "potter", "glazier", "weaver", "brewer", "cook", "fisher", "mason", "printer",
    ];

    internal static readonly string[] Pets =
    [
        "cat", "dog", "ferret", "parrot", "rabbit", "turtle", "hamster", "goat", "lizard", "pony",
        "owl", "snake", "goldfish", "canary", "hedgehog", "mouse",
    ];

    private static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "gl"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ou"];
    private static readonly string[] Codas = ["", "", "n", "r", "l", "k", "m", "s"];

    private readonly Dictionary<string, Person> _byName;

    public IReadOnlyList<Person> People { get; }

    private KnowledgeBase(IReadOnlyList<Person> people)
    {
        People = people;
        _byName = people.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>The person a name belongs to (a neighbour link is a name).</summary>
    public Person Named(string name) => _byName[name];

    public static KnowledgeBase Create(ulong seed, int people)
    {
        if (people < 2)
            throw new ArgumentOutOfRangeException(nameof(people), people, "the knowledge base needs at least 2 people, so everyone has a neighbour");
        var rng = DeterministicRng.Derive(seed, "knowledge-base");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Person>(people);
        while (list.Count < people)
        {
            string name = Capitalize(Word(rng, 2)) + " " + Capitalize(Word(rng, 2));
            if (!names.Add(name))
                continue;
            list.Add(new Person(name, rng.Pick(Cities), rng.Pick(Jobs), rng.Pick(Pets), rng.Next(1900, 2000)));
        }
        return new KnowledgeBase(WithNeighbours(list, DeterministicRng.Derive(seed, "knowledge-base/neighbours")));
    }

    /// <summary>
    /// Links the people into one random cycle: each person's neighbour is the next one in a shuffled order, so no one
    /// is their own neighbour and every name is a neighbour exactly once. Drawn from its own stream, so the people and
    /// their four facts are the same as without neighbours.
    /// </summary>
    private static List<Person> WithNeighbours(List<Person> people, DeterministicRng rng)
    {
        var order = Enumerable.Range(0, people.Count).ToList();
        rng.Shuffle(order);
        var linked = new List<Person>(people);
        for (int k = 0; k < order.Count; k++)
            linked[order[k]] = people[order[k]] with { Neighbour = people[order[(k + 1) % order.Count]].Name };
        return linked;
    }

    public static IReadOnlyList<string> Choices(FactAttribute a) => a switch
    {
        FactAttribute.City => Cities,
        FactAttribute.Job => Jobs,
        FactAttribute.Pet => Pets,
        _ => Enumerable.Range(1900, 100).Select(y => y.ToString()).ToArray(),
    };

    /// <summary>How many phrasings of a person's fact card training states (<see cref="FactCard"/>).</summary>
    public const int FactCardPhrasings = 6;

    /// <summary>
    /// Training text that states all of a person's facts, in one of <see cref="FactCardPhrasings"/> phrasings with
    /// the facts in different orders: a fact seen in several contexts is one the model can recall from any question.
    /// Every phrasing ends by naming the person's neighbour.
    /// </summary>
    public static string FactCard(Person p, int phrasing) => FactSentence(p, phrasing) + $" The neighbour of {p.Name} is {p.Neighbour}.";

    private static string FactSentence(Person p, int phrasing) => phrasing switch
    {
        0 => $"{p.Name} lives in {p.City}, works as a {p.Job}, keeps a {p.Pet} and was born in {p.Year}.",
        1 => $"{p.Name} was born in {p.Year}. {p.Name} keeps a {p.Pet}, works as a {p.Job} and lives in {p.City}.",
        2 => $"{p.Name} is a {p.Job} from {p.City}, born in {p.Year}, who keeps a {p.Pet}.",
        3 => $"In {p.City} lives {p.Name}, a {p.Job} with a {p.Pet}, born in {p.Year}.",
        4 => $"Born in {p.Year}, {p.Name} works as a {p.Job}, keeps a {p.Pet} and lives in {p.City}.",
        5 => $"{p.Name}: city {p.City}, job {p.Job}, pet {p.Pet}, born {p.Year}.",
        _ => throw new ArgumentOutOfRangeException(nameof(phrasing), phrasing, $"0..{FactCardPhrasings - 1}"),
    };

    private static string Word(DeterministicRng rng, int syllables)
    {
        var s = new System.Text.StringBuilder();
        for (int i = 0; i < syllables; i++)
            s.Append(rng.Pick(Onsets)).Append(rng.Pick(Vowels)).Append(rng.Pick(Codas));
        return s.ToString();
    }

    private static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
