namespace AscendAio.Tasks.Families;

/// <summary>
/// GSM8K analog: a short story of 2-4 arithmetic steps. The reference answer shows one equation
/// per step and ends with "Answer: N"; scoring compares the final number only.
/// </summary>
public static class MathFamily
{
    private static readonly string[] Names = ["Mia", "Tom", "Ana", "Leo", "Ivy", "Sam", "Noor", "Ben", "Kai", "Zoe", "Raj", "Eva"];
    private static readonly string[] Things = ["apples", "marbles", "stamps", "coins", "books", "shells", "cards", "pencils", "stickers", "beads"];

    public static TaskItem Generate(DeterministicRng rng, string id)
    {
        string name = rng.Pick(Names), thing = rng.Pick(Things);
        long value = rng.Next(10, 100);
        var story = new List<string> { $"{name} has {value} {thing}." };
        var work = new List<string>();
        int steps = rng.Next(2, 5);
        for (int s = 0; s < steps; s++)
        {
            long before = value;
            switch (rng.Next(4))
            {
                case 0:
                {
                    int n = rng.Next(5, 100);
                    value += n;
                    story.Add(rng.Next(2) == 0 ? $"Then {name} gets {n} more." : $"A friend gives {name} {n} more.");
                    work.Add($"{before} + {n} = {value}");
                    break;
                }
                case 1 when value > 5:
                {
                    int n = rng.Next(1, (int)Math.Min(value, 99));
                    value -= n;
                    story.Add(rng.Next(2) == 0 ? $"Then {name} gives away {n}." : $"{name} loses {n} of them.");
                    work.Add($"{before} - {n} = {value}");
                    break;
                }
                case 2 when value < 300:
                {
                    int n = rng.Next(2, 5);
                    value *= n;
                    story.Add($"Then the number of {thing} becomes {n} times as large.");
                    work.Add($"{before} * {n} = {value}");
                    break;
                }
                default:
                {
                    int n = rng.Next(5, 60);
                    value += n;
                    story.Add($"{name} buys {n} more {thing}.");
                    work.Add($"{before} + {n} = {value}");
                    break;
                }
            }
        }
        story.Add($"How many {thing} does {name} have now?");
        work.Add($"Answer: {value}");
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Math,
            Category = TaskFamilies.Math,
            Request = string.Join(" ", story),
            Answer = string.Join("\n", work),
            Scorer = new ScorerData { Kind = "number", Gold = value.ToString() },
        };
    }
}
