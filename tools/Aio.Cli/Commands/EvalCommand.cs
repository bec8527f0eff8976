using System.Text.Json;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Evaluation;
using AscendAio.Tasks;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio eval --model NAME|BUNDLE_DIR --suite code|qa|math|long|probe [--split test|calibration] [--limit N] [--seed N]
/// [--bundles DIR] [--items FILE] [--json]`: one model on one held-out split (the test split by default; the calibration
/// split is the one to choose among training runs with, so the test stays untouched); prints accuracy and tokens/s
/// (probe: category accuracy, confusion matrix, probes/s).
/// <c>--items FILE</c> also writes every request's completion and verdict as JSON lines (generation suites).
/// </summary>
internal sealed class EvalCommand : ICommand
{
    /// <summary>One object per line, completions readable (no escaping of &lt;, &gt; or quotes beyond JSON's own).</summary>
    private static readonly JsonSerializerOptions JsonLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Name => "eval";

    public string Summary => "accuracy and tokens/s of one model on one task suite (code, qa, math, long, probe)";

    public int Run(string[] args)
    {
        var cl = CommandLine.Parse(args, ["--model", "--suite", "--split", "--limit", "--seed", "--bundles", "--max-tokens", "--items"], ["--json"]);
        var suite = cl.Required("--suite");
        if (!TaskFamilies.Generated.Contains(suite) && suite != TaskFamilies.Probe)
            throw new UsageException($"--suite must be one of code, qa, math, long, probe; got '{suite}'");
        var split = cl.String("--split") ?? Splits.Test;
        if (split != Splits.Test && split != Splits.Calibration)
            throw new UsageException($"--split must be test or calibration; got '{split}'");
        if (split == Splits.Calibration && suite == TaskFamilies.Probe)
            throw new UsageException("--split calibration: the probe suite has only a test split");
        var modelArg = cl.Required("--model");
        var bundle = Directory.Exists(modelArg) ? modelArg : Path.Combine(cl.String("--bundles") ?? BundlePaths.Default(), modelArg);
        if (!File.Exists(Path.Combine(bundle, "bundle.json")))
            throw new UsageException($"--model: no bundle at '{bundle}' (give a bundle directory or a name under --bundles)");
        var itemsPath = cl.String("--items");
        if (itemsPath is not null && suite == TaskFamilies.Probe)
            throw new UsageException("--items is for the generation suites (code, qa, math, long); the probe prints its confusion matrix");
        var options = new BenchOptions { MaxTokens = cl.String("--max-tokens") is null ? null : cl.Int("--max-tokens", 0, min: 1) };
        var items = new SuiteGenerator(cl.SuiteSeed("--seed")).Generate(suite, split);
        if (cl.String("--limit") is not null)
            items = items.Take(cl.Int("--limit", 0, min: 1)).ToList();

        using var itemsFile = itemsPath is null ? null : OpenItemsFile(itemsPath);
        using var device = Device.Open();
        using var model = LanguageModel.Load(device, ModelBundle.Load(bundle), new LanguageModelOptions());
        var json = cl.Flag("--json");
        var score = SuiteEvaluator.Evaluate(model, suite, items, options.MaxTokensFor,
            (done, total) => { if (!json && !Console.IsErrorRedirected) Console.Error.Write($"\r{done}/{total}"); },
            itemsFile is null ? null : outcome => itemsFile.WriteLine(JsonSerializer.Serialize(outcome, JsonLine)));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(score, BenchResults.Json));
            return 0;
        }
        if (!Console.IsErrorRedirected)
            Console.Error.WriteLine();
        var unit = suite == TaskFamilies.Probe ? "probes/s" : "tokens/s";
        Console.WriteLine($"{score.Model} on {suite}: accuracy {score.Accuracy:P1} over {score.N} requests, {score.Tps:F1} {unit}" +
                          (score.Errors > 0 ? $" ({score.Errors} did not fit the context)" : ""));
        if (score.Confusion is { } c)
        {
            Console.WriteLine("true \\ predicted  " + string.Join("  ", c.Labels.Select(l => l.PadLeft(5))));
            for (var i = 0; i < c.Labels.Count; i++)
                Console.WriteLine($"{c.Labels[i],-16}  " + string.Join("  ", c.Counts[i].Select(n => n.ToString().PadLeft(5))));
        }
        return 0;
    }

    private static StreamWriter OpenItemsFile(string path)
    {
        try
        {
            return new StreamWriter(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--items: cannot write '{path}': {e.Message}");
        }
    }
}
