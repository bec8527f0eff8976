using AscendAio.Tasks.Scoring;

namespace AscendAio.Tasks.Tests;

public class TaskScorerTests
{
    private static readonly TaskScorer Scorer = new();

    private static TaskItem Item(ScorerData s) => new()
    {
        Id = "t", Family = "x", Category = "qa", Request = "r", Answer = "a", Scorer = s,
    };

    private static readonly TaskItem Code = Item(new ScorerData
    {
        Kind = "tiny-exec", Parameters = ["x", "y"], Inputs = [[1, 2], [5, -3], [0, 0]], Expected = [3, 2, 0],
    });

    [Fact]
    public void Score_CorrectTinyProgram_Passes() => Assert.True(Scorer.Score(Code, "return x + y<|eos|>"));

    [Fact]
    public void Score_DifferentButEquivalentProgram_Passes() =>
        Assert.True(Scorer.Score(Code, "let s = y\ns = s + x\nreturn s"));

    [Fact]
    public void Score_WrongTinyProgram_Fails() => Assert.False(Scorer.Score(Code, "return x * y"));

    [Fact]
    public void Score_TinyProgramFailingOneHiddenInput_Fails() =>
        Assert.False(Scorer.Score(Code, "if x == 5 then\nreturn 0\nend\nreturn x + y"));

    [Fact]
    public void Score_ExactAnswer_IgnoresCaseAndTrailingPeriod()
    {
        var item = Item(new ScorerData { Kind = "exact", Gold = "Marlow" });
        Assert.True(Scorer.Score(item, " marlow.<|eos|>"));
        Assert.False(Scorer.Score(item, "Tesh"));
    }

    [Fact]
    public void Score_Number_UsesTheFinalNumber()
    {
        var item = Item(new ScorerData { Kind = "number", Gold = "32" });
        Assert.True(Scorer.Score(item, "23 + 17 = 40\n40 - 8 = 32\nAnswer: 32"));
        Assert.False(Scorer.Score(item, "23 + 17 = 40\nAnswer: 40"));
        Assert.True(Scorer.Score(item, "steps... #### 32"));
    }

    [Fact]
    public void Score_Letter_AcceptsCommonAnswerShapes()
    {
        var item = Item(new ScorerData { Kind = "letter", Gold = "B" });
        Assert.True(Scorer.Score(item, "B"));
        Assert.True(Scorer.Score(item, "(B) Marlow"));
        Assert.False(Scorer.Score(item, "C"));
    }

    [Fact]
    public void Score_Category_MatchesTokenOrName()
    {
        var item = Item(new ScorerData { Kind = "category", Gold = "math" });
        Assert.True(Scorer.Score(item, "<|math|>"));
        Assert.False(Scorer.Score(item, "<|qa|>"));
    }

    [Fact]
    public void Score_PythonItemWithoutInterpreter_IsNotScorable()
    {
        var item = Item(new ScorerData { Kind = "python-exec", Prompt = "def f():\n", Test = "", EntryPoint = "f" });
        Assert.False(Scorer.CanScore(item));
        Assert.Throws<InvalidOperationException>(() => Scorer.Score(item, "    return 1"));
    }

    [Fact]
    public void Score_GarbageCompletions_NeverThrow()
    {
        var rng = new DeterministicRng(7);
        var items = new[]
        {
            Code,
            Item(new ScorerData { Kind = "exact", Gold = "x" }),
            Item(new ScorerData { Kind = "number", Gold = "3" }),
            Item(new ScorerData { Kind = "letter", Gold = "A" }),
            Item(new ScorerData { Kind = "category", Gold = "qa" }),
        };
        const string alphabet = "abcxyz0123456789 +-*/%()=<>!\n\t#$\"'{}[]\\,.;:ifthenelseendforwhilereturnlet\u00e9\u4e2d\ud83d";
        for (int n = 0; n < 500; n++)
        {
            int len = rng.Next(0, 200);
            var chars = new char[len];
            for (int i = 0; i < len; i++)
                chars[i] = alphabet[rng.Next(alphabet.Length)];
            string text = new(chars);
            foreach (var item in items)
                Scorer.Score(item, text);
        }
        foreach (var item in items)
        {
            Scorer.Score(item, "");
            Scorer.Score(item, "return " + new string('(', 50_000));
            Scorer.Score(item, "while 1 do\nend\nreturn 0");
        }
    }
}
