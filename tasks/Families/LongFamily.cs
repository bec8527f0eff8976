using System.Text;

namespace AscendAio.Tasks.Families;

/// <summary>
/// Long-context variants of the code and qa families: a code spec, or a qa question whose person's fact card sits
/// among other people's cards, placed at a random depth (5%-75%) of 1K-2K tokens of filler prose. The small model's
/// trained context (512) cannot hold it; the large model's (2048) can.
/// </summary>
public static class LongFamily
{
    private static readonly string[] Adjectives = ["quiet", "old", "narrow", "bright", "cold", "busy", "green", "tall", "small", "empty", "wooden", "distant"];
    private static readonly string[] Nouns = ["river", "bridge", "market", "garden", "tower", "harbor", "school", "road", "forest", "library", "station", "field"];
    private static readonly string[] Verbs = ["was crowded", "stayed calm", "looked grey", "felt warm", "was closed", "was repaired", "seemed larger", "was painted"];
    private static readonly string[] Times = ["that morning", "in the evening", "after the rain", "during the fair", "before noon", "all winter", "last spring", "at dusk"];

    /// <summary>Other people's fact cards around a qa item's own: the card that answers must be told from look-alikes.</summary>
    private const int DistractorCards = 4;

    /// <summary>
    /// One long item with between <paramref name="minChars"/> and <paramref name="maxChars"/> of filler, drawn
    /// uniformly, or log-uniformly when <paramref name="favourShort"/> is set (training: most items short, so reading
    /// past filler is learnt where it is cheap, and some long, so every position the test items use is trained).
    /// qa items ask a short-answer question about a person of <paramref name="knowledgeBase"/>, never in the form that
    /// <paramref name="heldOutForms"/> keeps for qa's held-out splits (a long training item must not teach it).
    /// </summary>
    public static TaskItem Generate(DeterministicRng rng, string id, KnowledgeBase knowledgeBase,
        IReadOnlyDictionary<(Person, FactAttribute), int> heldOutForms, int minChars, int maxChars, bool favourShort)
    {
        int target = favourShort
            ? (int)Math.Round(minChars * Math.Pow((double)maxChars / minChars, rng.NextDouble()))
            : rng.Next(minChars, maxChars + 1);
        double depth = 0.05 + 0.70 * rng.NextDouble();
        bool code = rng.Next(2) == 0;
        if (code)
        {
            var inner = CodeFamily.Generate(rng, id);
            string needle = "Task: " + inner.Request;
            string request = Embed(rng, needle, [], target, depth) + "\nNow write the body of the function from the task above.";
            return inner with { Family = TaskFamilies.Long, Request = request };
        }

        var people = knowledgeBase.People;
        var person = rng.Pick(people);
        var attribute = (FactAttribute)rng.Next(4);
        int form;
        do
            form = rng.Next(QaFamily.MultipleChoiceForm);
        while (form == heldOutForms[(person, attribute)]);
        var question = QaFamily.Question(rng, id, person, attribute, form);
        var others = new HashSet<Person> { person };
        var distractors = new List<string>();
        while (distractors.Count < DistractorCards)
        {
            var other = rng.Pick(people);
            if (others.Add(other))
                distractors.Add(KnowledgeBase.FactCard(other, rng.Next(KnowledgeBase.FactCardPhrasings)));
        }
        string card = KnowledgeBase.FactCard(person, rng.Next(KnowledgeBase.FactCardPhrasings));
        return question with { Family = TaskFamilies.Long, Request = Embed(rng, card, distractors, target, depth) + "\n" + question.Request };
    }

    /// <summary>Filler prose of about <paramref name="targetChars"/> with the needle at the given relative depth.</summary>
    private static string Embed(DeterministicRng rng, string needle, List<string> distractors, int targetChars, double depth)
    {
        var sentences = new List<string>();
        int length = 0;
        while (length < targetChars)
        {
            string s = $"The {rng.Pick(Adjectives)} {rng.Pick(Nouns)} {rng.Pick(Verbs)} {rng.Pick(Times)}.";
            sentences.Add(s);
            length += s.Length + 1;
        }
        foreach (var d in distractors)
            sentences.Insert(rng.Next(sentences.Count + 1), d);
        sentences.Insert((int)(depth * sentences.Count), needle);
        var sb = new StringBuilder();
        for (int i = 0; i < sentences.Count; i++)
        {
            sb.Append(sentences[i]);
            sb.Append(i % 6 == 5 ? '\n' : ' ');
        }
        return sb.ToString().TrimEnd();
    }
}
