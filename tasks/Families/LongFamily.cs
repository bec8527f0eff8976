using System.Text;

namespace AscendAio.Tasks.Families;

/// <summary>
/// Long-context variants: a code spec, or one locker note, placed at a random depth (5%-75%) of
/// 1K-2K tokens of filler prose. The small model's trained context (512) cannot hold it; the large
/// model's (2048) can. The note has no look-alike distractors: the fifth pair's notes sat among six
/// others and the content-addressed lookup that needs never formed at these sizes (tools/train/README.md).
/// </summary>
public static class LongFamily
{
    private static readonly string[] Adjectives = ["quiet", "old", "narrow", "bright", "cold", "busy", "green", "tall", "small", "empty", "wooden", "distant"];
    private static readonly string[] Nouns = ["river", "bridge", "market", "garden", "tower", "harbor", "school", "road", "forest", "library", "station", "field"];
    private static readonly string[] Verbs = ["was crowded", "stayed calm", "looked grey", "felt warm", "was closed", "was repaired", "seemed larger", "was painted"];
    private static readonly string[] Times = ["that morning", "in the evening", "after the rain", "during the fair", "before noon", "all winter", "last spring", "at dusk"];

    /// <summary>
    /// Boxes are named by one capital letter, one token: the lookup matches a single key token (as an induction
    /// head does) rather than a two-digit number made of the same digit tokens as every code around it.
    /// </summary>
    private static readonly char[] BoxLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ".ToCharArray();

    /// <summary>
    /// One long item with between <paramref name="minChars"/> and <paramref name="maxChars"/> of filler, drawn
    /// uniformly, or log-uniformly when <paramref name="favourShort"/> is set (the short half of training: finding
    /// the needle is learnt where it is cheap, and the long tail adds every position in between).
    /// </summary>
    public static TaskItem Generate(DeterministicRng rng, string id, int minChars, int maxChars, bool favourShort)
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
            string request = Embed(rng, needle, target, depth) + "\nNow write the body of the function from the task above.";
            return inner with { Family = TaskFamilies.Long, Request = request };
        }

        char box = rng.Pick(BoxLetters);
        string codeValue = rng.Next(1000, 10000).ToString();
        string text = Embed(rng, Note(box, codeValue), target, depth) + $"\nWhat is the locker code for box {box}?";
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Long,
            Category = TaskFamilies.Qa,
            Request = text,
            Answer = codeValue,
            Scorer = new ScorerData { Kind = "exact", Gold = codeValue },
        };
    }

    /// <summary>The one sentence a locker's code is stated in.</summary>
    private static string Note(char box, string code) => $"The locker code for box {box} is {code}.";

    /// <summary>Filler prose of about <paramref name="targetChars"/> with the needle at the given relative depth.</summary>
    private static string Embed(DeterministicRng rng, string needle, int targetChars, double depth)
    {
        var sentences = new List<string>();
        int length = 0;
        while (length < targetChars)
        {
            string s = $"The {rng.Pick(Adjectives)} {rng.Pick(Nouns)} {rng.Pick(Verbs)} {rng.Pick(Times)}.";
            sentences.Add(s);
            length += s.Length + 1;
        }
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
