using System.Text;

namespace AscendAio.Tasks.Families;

/// <summary>
/// Long-context variants: a code spec, or a key/value note among look-alike distractor notes,
/// placed at a random depth (5%-75%) of 1K-2K tokens of filler prose. The small model's trained
/// context (512) cannot hold it; the large model's (2048) can.
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
    /// uniformly, or log-uniformly when <paramref name="favourShort"/> is set (training: most items short, so the
    /// lookup is learnt where it is cheap, and some long, so every position the test items use is trained).
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
            string request = Embed(rng, needle, [], target, depth) + "\nNow write the body of the function from the task above.";
            return inner with { Family = TaskFamilies.Long, Request = request };
        }

        char box = rng.Pick(BoxLetters);
        string codeValue = rng.Next(1000, 10000).ToString();
        var distractors = new List<string>();
        var usedBoxes = new HashSet<char> { box };
        while (distractors.Count < 6)
        {
            char other = rng.Pick(BoxLetters);
            if (usedBoxes.Add(other))
                distractors.Add(Note(other, rng.Next(1000, 10000).ToString()));
        }
        string note = Note(box, codeValue);
        string text = Embed(rng, note, distractors, target, depth) + $"\nWhat is the locker code for box {box}?";
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

    /// <summary>
    /// A training-only lookup drill: 8-12 locker notes (distinct boxes) among a little filler, then a request to
    /// repeat the notes of 3-5 of them. The one-line answer restates each asked note in the order asked, so every
    /// sentence of it is a match-and-copy (find "box K is", copy the code after it): one short drill trains several
    /// lookups where a long item trains one, and the long items train the positions.
    /// </summary>
    public static TaskItem Drill(DeterministicRng rng, string id)
    {
        var boxes = new List<char>(BoxLetters);
        rng.Shuffle(boxes);
        boxes = boxes.GetRange(0, rng.Next(8, 13));
        var notes = boxes.Select(b => Note(b, rng.Next(1000, 10000).ToString())).ToList();
        int asked = rng.Next(3, 6);
        var order = Enumerable.Range(0, boxes.Count).ToList();
        rng.Shuffle(order);
        order = order.GetRange(0, asked);
        string context = Embed(rng, notes[0], notes.GetRange(1, notes.Count - 1), rng.Next(0, 300), rng.NextDouble());
        var names = order.Select(i => boxes[i].ToString()).ToList();
        string list = string.Join(", ", names.Take(asked - 1)) + " and " + names[^1];
        string answer = string.Join(" ", order.Select(i => notes[i]));
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Long,
            Category = TaskFamilies.Qa,
            Request = context + $"\nRepeat the notes for boxes {list}.",
            Answer = answer,
            Scorer = new ScorerData { Kind = "exact", Gold = answer },
        };
    }

    /// <summary>The one sentence a locker's code is stated in, for the needle, its distractors and the drills.</summary>
    private static string Note(char box, string code) => $"The locker code for box {box} is {code}.";

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
