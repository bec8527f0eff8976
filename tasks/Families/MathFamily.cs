namespace AscendAio.Tasks.Families;

/// <summary>
/// GSM8K analog: a short story of 2-3 arithmetic steps on numbers below about 150. The reference answer shows
/// one equation per step and ends with "Answer: N"; scoring compares the final number only. Training also gets
/// one-step drills (<see cref="Drill"/>) so the arithmetic itself is seen on many more number pairs.
/// </summary>
public static class MathFamily
{
    private static readonly string[] Names = ["Mia", "Tom", "Ana", "Leo", "Ivy", "Sam", "Noor", "Ben", "Kai", "Zoe", "Raj", "Eva"];
    private static readonly string[] Things = ["apples", "marbles", "stamps", "coins", "books", "shells", "cards", "pencils", "stickers", "beads"];

    public static TaskItem Generate(DeterministicRng rng, string id)
    {
        string name = rng.Pick(Names), thing = rng.Pick(Things);
        long value = rng.Next(10, 50);
        var story = new List<string> { $"{name} has {value} {thing}." };
        var work = new List<string>();
        int steps = rng.Next(2, 4);
        for (int s = 0; s < steps; s++)
        {
            long before = value;
            switch (rng.Next(4))
            {
                case 0:
                {
                    int n = Addend(rng);
                    value += n;
                    story.Add(rng.Next(2) == 0 ? $"Then {name} gets {n} more." : $"A friend gives {name} {n} more.");
                    work.Add(Equation(before, '+', n, value));
                    break;
                }
                case 1 when value > 5:
                {
                    int n = Subtrahend(rng, value);
                    value -= n;
                    story.Add(rng.Next(2) == 0 ? $"Then {name} gives away {n}." : $"{name} loses {n} of them.");
                    work.Add(Equation(before, '-', n, value));
                    break;
                }
                case 2 when value <= MaxMultiplied:
                {
                    int n = Multiplier(rng, value);
                    value *= n;
                    story.Add($"Then the number of {thing} becomes {n} times as large.");
                    work.Add(Equation(before, '*', n, value));
                    break;
                }
                default:
                {
                    int n = Addend(rng);
                    value += n;
                    story.Add($"{name} buys {n} more {thing}.");
                    work.Add(Equation(before, '+', n, value));
                    break;
                }
            }
        }
        story.Add($"How many {thing} does {name} have now?");
        work.Add($"Answer: {value}");
        return Item(id, string.Join(" ", story), string.Join("\n", work), value);
    }

    /// <summary>A one-step training drill in the stories' equation format: "Work out 47 + 38." → "47 + 38 = 85 ...".</summary>
    public static TaskItem Drill(DeterministicRng rng, string id)
    {
        long a, b, value;
        char op;
        switch (rng.Next(3))
        {
            case 0:
                (a, b, op) = (rng.Next(2, 120), Addend(rng), '+');
                value = a + b;
                break;
            case 1:
                a = rng.Next(5, 150);
                b = Subtrahend(rng, a);
                (op, value) = ('-', a - b);
                break;
            default:
                a = rng.Next(2, MaxMultiplied + 1);
                b = Multiplier(rng, a);
                (op, value) = ('*', a * b);
                break;
        }
        return Item(id, $"Work out {a} {op} {b}.", $"{Equation(a, op, b, value)}\nAnswer: {value}", value);
    }

    // The operand rules stories and drills share, which keep every number below about 150.
    private const int MaxMultiplied = 40;

    private static int Addend(DeterministicRng rng) => rng.Next(2, 30);

    private static int Subtrahend(DeterministicRng rng, long from) => rng.Next(2, (int)Math.Min(from, 30));

    private static int Multiplier(DeterministicRng rng, long value) => value <= 25 ? rng.Next(2, 4) : 2;

    private static string Equation(long left, char op, long right, long result) => $"{left} {op} {right} = {result}";

    private static TaskItem Item(string id, string request, string answer, long value) => new()
    {
        Id = id,
        Family = TaskFamilies.Math,
        Category = TaskFamilies.Math,
        Request = request,
        Answer = answer,
        Scorer = new ScorerData { Kind = "number", Gold = value.ToString() },
    };
}
