using System.Text.Json;
using AscendAio.Tasks;
using AscendAio.Tasks.Formats;
using AscendAio.Tasks.Scoring;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio data generate --out DIR [--seed N] [--people N]`: writes every family/split as DIR/FAMILY/SPLIT.jsonl
/// (`--people` sizes qa's knowledge base for training pilots; `aio eval` always uses the default).
/// `aio data score --suite FILE|DIR/FAMILY/SPLIT.jsonl --completions FILE [--python PATH] [--json]`:
/// scores a JSONL of {id, completion} against the suite's items.
/// </summary>
internal sealed class DataCommand : ICommand
{
    public string Name => "data";
    public string Summary => "generate task suites (generate) or score completions against one (score)";

    public int Run(string[] args)
    {
        if (args.Length == 0)
            throw new UsageException("expected 'generate' or 'score'");
        var options = ParseOptions(args[1..]);
        try
        {
            return args[0] switch
            {
                "generate" => Generate(options),
                "score" => Score(options),
                _ => throw new UsageException($"unknown subcommand '{args[0]}' (expected 'generate' or 'score')"),
            };
        }
        catch (Exception e) when (e is TaskFormatException or IOException or InvalidOperationException)
        {
            // Bad input files are the user's to fix: say which file/line, no stack trace.
            Console.Error.WriteLine($"aio data: {e.Message}");
            return 1;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"unexpected argument '{args[i]}'");
            string key = args[i][2..];
            if (key == "json")
                options[key] = "true";
            else if (i + 1 < args.Length)
                options[key] = args[++i];
            else
                throw new UsageException($"option --{key} needs a value");
        }
        return options;
    }

    private static int Generate(Dictionary<string, string> options)
    {
        string outDir = options.GetValueOrDefault("out") ?? throw new UsageException("--out DIR is required");
        ulong seed = SuiteGenerator.ReferenceSeed;
        if (options.TryGetValue("seed", out var s) && !ulong.TryParse(s, out seed))
            throw new UsageException($"--seed must be a non-negative integer, got '{s}'");
        var sizes = SuiteSizes.Default;
        if (options.TryGetValue("people", out var p))
        {
            if (!int.TryParse(p, out int people) || people < 2)
                throw new UsageException($"--people must be an integer of at least 2, got '{p}'");
            sizes = sizes with { People = people };
        }
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

    private static int Score(Dictionary<string, string> options)
    {
        string suitePath = options.GetValueOrDefault("suite") ?? throw new UsageException("--suite FILE is required");
        string completionsPath = options.GetValueOrDefault("completions") ?? throw new UsageException("--completions FILE is required");
        var items = LoadSuite(suitePath, options.GetValueOrDefault("format"));
        var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var scorer = new TaskScorer(options.TryGetValue("python", out var py) ? new PythonRunner(py) : null);

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
        if (options.ContainsKey("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                suite = suitePath,
                scored,
                passed,
                accuracy,
                unscorable,
                per_category = perCategory.ToDictionary(kv => kv.Key, kv => new { scored = kv.Value.Scored, passed = kv.Value.Passed }),
            }));
        }
        else
        {
            Console.WriteLine($"{suitePath}: {passed}/{scored} = {accuracy:P1}" + (unscorable > 0 ? $" ({unscorable} not scorable: no --python interpreter)" : ""));
            foreach (var (category, (n, p)) in perCategory)
                Console.WriteLine($"  {category,-6} {p}/{n}");
        }
        return 0;
    }

    /// <summary>Our JSONL by default; --format humaneval|gsm8k|mc-csv for the public formats.</summary>
    private static List<TaskItem> LoadSuite(string path, string? format) => format switch
    {
        null or "tasks" => TaskJsonl.Read(path),
        "humaneval" => HumanEvalLoader.Load(path),
        "gsm8k" => Gsm8kLoader.Load(path),
        "mc-csv" => MultipleChoiceCsvLoader.Load(path),
        _ => throw new UsageException($"unknown --format '{format}' (tasks, humaneval, gsm8k, mc-csv)"),
    };
}
