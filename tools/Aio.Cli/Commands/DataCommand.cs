using System.CommandLine;
using System.Text.Json;
using AscendAio.Tasks;
using AscendAio.Tasks.Formats;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio data generate --out DIR [--seed N] [--people N]`: writes every family/split as DIR/FAMILY/SPLIT.jsonl
/// (`--people` sizes qa's knowledge base for training pilots; `aio eval` always uses the default).
/// `aio data score --suite FILE|DIR/FAMILY/SPLIT.jsonl --completions FILE [--python PATH] [--format tasks|humaneval|gsm8k|mc-csv] [--json [FILE]]`:
/// scores a JSONL of {id, completion} against the suite's items.
/// </summary>
internal sealed class DataCommand : IDeclaredCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "folder to write FAMILY/SPLIT.jsonl into", HelpName = "DIR", Required = true };

    private static readonly Option<int?> People = OptionRules.Range(new Option<int?>("--people")
    {
        Description = "people in qa's knowledge base (training pilots; aio eval always uses the default)",
        HelpName = "N",
    }, 2, int.MaxValue, "must be an integer of at least 2, got '{0}'");

    private static readonly Option<string> SuiteFile = new("--suite") { Description = "the suite's items (FILE or DIR/FAMILY/SPLIT.jsonl)", HelpName = "FILE", Required = true };
    private static readonly Option<string> Completions = new("--completions") { Description = "JSON lines of {id, completion}", HelpName = "FILE", Required = true };
    private static readonly Option<string?> Python = new("--python") { Description = "Python interpreter for the code items (without it they are not scored)", HelpName = "PATH" };

    private static readonly Option<string> Format = OptionRules.OneOf(new Option<string>("--format")
    {
        Description = "the suite's format",
        DefaultValueFactory = _ => "tasks",
    }, "tasks, humaneval, gsm8k or mc-csv", "tasks", "humaneval", "gsm8k", "mc-csv");

    private static readonly Command GenerateCommand = new("generate", "write every task family and split as DIR/FAMILY/SPLIT.jsonl")
    {
        Out, SharedOptions.SuiteSeed, People,
    };

    private static readonly Command ScoreCommand = new("score", "score a JSONL of {id, completion} against a suite's items")
    {
        SuiteFile, Completions, Python, Format, SharedOptions.Json,
    };

    public string Name => "data";
    public string Summary => "generate task suites (generate) or score completions against one (score)";

    public void Declare(Command command)
    {
        command.Subcommands.Add(GenerateCommand);
        command.Subcommands.Add(ScoreCommand);
        command.Validators.Add(result =>
        {
            if (result.Command == command)
                result.AddError("expected 'generate' or 'score'");
        });
    }

    public int Run(ParseResult parse)
    {
        try
        {
            return parse.CommandResult.Command == GenerateCommand ? Generate(parse) : Score(parse);
        }
        catch (Exception e) when (e is TaskFormatException or IOException or InvalidOperationException)
        {
            // Bad input files are the user's to fix: say which file/line, no stack trace.
            Console.Error.WriteLine($"aio data: {e.Message}");
            return 1;
        }
    }

    private static int Generate(ParseResult parse)
    {
        var outDir = parse.GetRequiredValue(Out);
        var seed = parse.GetValue(SharedOptions.SuiteSeed);
        var sizes = parse.GetValue(People) is { } people ? SuiteSizes.Default with { People = people } : SuiteSizes.Default;
        var all = new SuiteGenerator(seed, sizes).GenerateAll();
        foreach (var ((family, split), items) in all.OrderBy(kv => kv.Key.Family).ThenBy(kv => kv.Key.Split))
        {
            string dir = Path.Combine(outDir, family);
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, split + ".jsonl");
            TaskJsonl.Write(path, items);
            Console.WriteLine($"{family,-6} {split,-12} {items.Count,6} items  {path}");
        }
        return 0;
    }

    private static int Score(ParseResult parse)
    {
        var suitePath = parse.GetRequiredValue(SuiteFile);
        var completionsPath = parse.GetRequiredValue(Completions);
        var items = LoadSuite(suitePath, parse.GetRequiredValue(Format));
        var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var scorer = new TaskScorer(parse.GetValue(Python) is { } py ? new PythonRunner(py) : null);

        int scored = 0, passed = 0, unscorable = 0, lineNumber = 0;
        var perCategory = new SortedDictionary<string, (int Scored, int Passed)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(completionsPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string id, completion;
            try
            {
                using var doc = JsonDocument.Parse(line);
                id = doc.RootElement.GetProperty("id").GetString() ?? throw new FormatException("id is null");
                completion = doc.RootElement.GetProperty("completion").GetString() ?? "";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new TaskFormatException(completionsPath, lineNumber, $"expected {{\"id\": string, \"completion\": string}} ({e.Message})");
            }
            if (!byId.TryGetValue(id, out var item))
                throw new TaskFormatException(completionsPath, lineNumber, $"id '{id}' is not in suite {suitePath}");
            if (!scorer.CanScore(item))
            {
                unscorable++;
                continue;
            }
            bool ok = scorer.Score(item, completion);
            scored++;
            passed += ok ? 1 : 0;
            var c = perCategory.GetValueOrDefault(item.Category);
            perCategory[item.Category] = (c.Scored + 1, c.Passed + (ok ? 1 : 0));
        }

        double accuracy = scored == 0 ? 0 : (double)passed / scored;
        var json = JsonOutput.Of(parse);
        json.Write(JsonSerializer.Serialize(new
        {
            suite = suitePath,
            scored,
            passed,
            accuracy,
            unscorable,
            per_category = perCategory.ToDictionary(kv => kv.Key, kv => new { scored = kv.Value.Scored, passed = kv.Value.Passed }),
        }));
        if (json.Tables)
        {
            Console.WriteLine($"{suitePath}: {passed}/{scored} = {accuracy:P1}" + (unscorable > 0 ? $" ({unscorable} not scorable: no --python interpreter)" : ""));
            foreach (var (category, (n, p)) in perCategory)
                Console.WriteLine($"  {category,-6} {p}/{n}");
        }
        return 0;
    }

    /// <summary>Our JSONL by default; --format humaneval|gsm8k|mc-csv for the public formats (the option's validator checks the name).</summary>
    private static List<TaskItem> LoadSuite(string path, string format) => format switch
    {
        "humaneval" => HumanEvalLoader.Load(path),
        "gsm8k" => Gsm8kLoader.Load(path),
        "mc-csv" => MultipleChoiceCsvLoader.Load(path),
        _ => TaskJsonl.Read(path),
    };
}
