using AscendAio.Tasks.Formats;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Tasks.Tests;

public sealed class LoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aio-tasks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void HumanEval_ValidRows_LoadAsPythonExecItems()
    {
        string path = Write("he.jsonl", """
            {"task_id": "HumanEval/0", "prompt": "def add(a, b):\n", "canonical_solution": "    return a + b\n", "test": "def check(f):\n    assert f(1, 2) == 3\n", "entry_point": "add"}
            """);
        var item = Assert.Single(HumanEvalLoader.Load(path));
        Assert.Equal("HumanEval/0", item.Id);
        Assert.Equal("python-exec", item.Scorer.Kind);
        Assert.False(new TaskScorer().CanScore(item));
    }

    [Fact]
    public void HumanEval_MissingField_NamesLineAndField()
    {
        string path = Write("he.jsonl", "{\"task_id\": \"a\", \"prompt\": \"p\", \"test\": \"t\", \"entry_point\": \"f\"}\n\n{\"task_id\": \"b\", \"prompt\": \"p\", \"entry_point\": \"f\"}\n");
        var e = Assert.Throws<TaskFormatException>(() => HumanEvalLoader.Load(path));
        Assert.Equal(3, e.Line);
        Assert.Contains("'test'", e.Message);
    }

    [Fact]
    public void Jsonl_BrokenJson_NamesTheLine()
    {
        string path = Write("g.jsonl", "{\"question\": \"q\", \"answer\": \"#### 4\"}\n{\"question\": \n");
        var e = Assert.Throws<TaskFormatException>(() => Gsm8kLoader.Load(path));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Gsm8k_FinalNumber_IsTheGold()
    {
        string path = Write("g.jsonl", "{\"question\": \"2+2?\", \"answer\": \"2+2=4\\n#### 1,204\"}\n");
        var item = Assert.Single(Gsm8kLoader.Load(path));
        Assert.Equal("1204", item.Scorer.Gold);
        Assert.True(new TaskScorer().Score(item, "so the answer is 1204"));
    }

    [Fact]
    public void Gsm8k_AnswerWithoutHashes_NamesTheLine()
    {
        string path = Write("g.jsonl", "{\"question\": \"q\", \"answer\": \"#### 4\"}\n{\"question\": \"q\", \"answer\": \"four\"}\n");
        var e = Assert.Throws<TaskFormatException>(() => Gsm8kLoader.Load(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("####", e.Message);
    }

    [Fact]
    public void MmluCsv_QuotedMultilineField_KeepsLineNumbersRight()
    {
        string path = Write("m.csv", "\"What is\n2+2?\",3,4,5,6,B\nWhat is 1+1?,1,2,3,4,E\n");
        var e = Assert.Throws<TaskFormatException>(() => MultipleChoiceCsvLoader.Load(path));
        Assert.Equal(3, e.Line);
        Assert.Contains("A, B, C or D", e.Message);
    }

    [Fact]
    public void CevalCsv_WithHeader_LoadsAndScoresByLetter()
    {
        string path = Write("c.csv", "id,question,A,B,C,D,answer,explanation\n7,\"1+1, twice?\",2,4,6,8,B,because\n");
        var item = Assert.Single(MultipleChoiceCsvLoader.Load(path));
        Assert.Equal("7", item.Id);
        Assert.StartsWith("1+1, twice?", item.Request);
        Assert.True(new TaskScorer().Score(item, "B"));
        Assert.False(new TaskScorer().Score(item, "A"));
    }

    [Fact]
    public void Csv_TooFewColumns_NamesTheLine()
    {
        string path = Write("m.csv", "q,1,2,3,4,A\nq2,1,2\n");
        var e = Assert.Throws<TaskFormatException>(() => MultipleChoiceCsvLoader.Load(path));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void TaskJsonl_RoundTripsItems()
    {
        var items = new SuiteGenerator(1, new SuiteSizes { TrainCode = 5, TrainMath = 5, TrainLong = 2, TestPerFamily = 3, CalibrationPerFamily = 3, People = 40, ProbePerCategory = 2 })
            .GenerateAll()[(TaskFamilies.Code, Splits.Test)];
        string path = Path.Combine(_dir, "t.jsonl");
        TaskJsonl.Write(path, items);
        var back = TaskJsonl.Read(path);
        Assert.Equal(items.Select(i => i.Request), back.Select(i => i.Request));
        Assert.Equal(items[0].Scorer.Expected, back[0].Scorer.Expected);
    }
}
