namespace AscendAio.Evaluation.Load;

/// <summary>One run of one side at one concurrency.</summary>
public sealed record LoadSample(
    double TokensPerSecond, double RequestsPerSecond, double TtftP50Ms, double TtftP99Ms, double PerTokenP50Ms, double PerTokenP99Ms,
    int Requests, int Errors, string? FirstError, double RowsPerStep)
{
    internal static LoadSample Of(List<RequestTimes> runs, double seconds, int errors, string? firstError, double rowsPerStep)
    {
        var ttft = runs.Where(r => r.TokenMs.Count > 0).Select(r => r.TokenMs[0] - r.StartedMs).Order().ToArray();
        var gaps = runs.SelectMany(r => r.TokenMs.Zip(r.TokenMs.Skip(1), (a, b) => b - a)).Order().ToArray();
        return new LoadSample(runs.Sum(r => r.TokenMs.Count) / seconds, runs.Count / seconds,
            ConfigRunner.Percentile(ttft, 0.5), ConfigRunner.Percentile(ttft, 0.99),
            ConfigRunner.Percentile(gaps, 0.5), ConfigRunner.Percentile(gaps, 0.99), runs.Count, errors, firstError, rowsPerStep);
    }
}

/// <summary>
/// One (model, side, concurrency) cell over the rounds: medians of each figure, the tokens/s range, all errors.
/// Per-token latency is the gap between consecutive tokens of a request (a PLD or verify step may deliver several).
/// </summary>
public sealed record LoadRow(
    string Model, string Side, int Concurrency, double MeanPromptTokens, int Rounds,
    double TokensPerSecond, double TokensPerSecondMin, double TokensPerSecondMax, double RequestsPerSecond,
    double TtftP50Ms, double TtftP99Ms, double PerTokenP50Ms, double PerTokenP99Ms, int Errors, double RowsPerStep)
{
    internal static LoadRow Of(string model, string side, int concurrency, double meanPromptTokens, List<LoadSample> samples)
    {
        double Median(Func<LoadSample, double> figure) => ConfigRunner.Percentile(samples.Select(figure).Order().ToArray(), 0.5);
        var tps = samples.Select(s => s.TokensPerSecond).Order().ToArray();
        return new LoadRow(model, side, concurrency, meanPromptTokens, samples.Count, Median(s => s.TokensPerSecond), tps[0], tps[^1], Median(s => s.RequestsPerSecond),
            Median(s => s.TtftP50Ms), Median(s => s.TtftP99Ms), Median(s => s.PerTokenP50Ms), Median(s => s.PerTokenP99Ms),
            samples.Sum(s => s.Errors), Median(s => s.RowsPerStep));
    }
}
