using System.Text.Json.Serialization;
using AscendAio.Evaluation.Statistics;

namespace AscendAio.Evaluation.Load;

/// <summary>
/// The 429-storm comparison against a running server: after a short warm-up window, each round runs a window at the
/// server's capacity (as many closed-loop clients as it admits) and a window of the storm's clients, in alternating
/// order, waiting for the server to drain between windows; the served tokens per second of the two sides are compared
/// as the median ratio of the rounds' pairs with its interval.
/// </summary>
public static class StormStudy
{
    public static async Task<StormStudyResult> RunAsync(Uri server, string model, int capacity, int storm, TimeSpan window, int rounds, int maxTokens,
        string[] prompts, Action<string> progress, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        await StormBench.RunAsync(server, model, capacity, TimeSpan.FromSeconds(2), maxTokens, prompts, cancellation).ConfigureAwait(false);
        var windows = new List<StormResult>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var clients in round % 2 == 1 ? new[] { capacity, storm } : [storm, capacity])
            {
                await StormBench.WaitIdleAsync(server, cancellation: cancellation).ConfigureAwait(false);
                var result = await StormBench.RunAsync(server, model, clients, window, maxTokens, prompts, cancellation).ConfigureAwait(false);
                progress($"round {round}, {clients} clients: {result.ServedPerSecond:F1} served/s, {result.TokensPerSecond:F0} tokens/s, {result.RejectedPerSecond:F0} rejected/s");
                windows.Add(result);
            }
        }
        return new StormStudyResult(capacity, storm, windows);
    }
}

/// <summary>The windows of a <see cref="StormStudy"/>, in the order they ran, and the comparison of its two sides.</summary>
public sealed record StormStudyResult(
    [property: JsonPropertyName("capacity")] int Capacity,
    [property: JsonPropertyName("storm")] int Storm,
    [property: JsonPropertyName("windows")] IReadOnlyList<StormResult> Windows)
{
    [JsonIgnore] public StormResult[] AtCapacity => Windows.Where(w => w.Clients == Capacity).ToArray();

    [JsonIgnore] public StormResult[] InStorm => Windows.Where(w => w.Clients == Storm).ToArray();

    /// <summary>Served tokens/s storm ÷ capacity, paired by round; null when the two sides are the same size.</summary>
    [JsonPropertyName("tokensPerSecondRatio")]
    public Estimate? TokensPerSecondRatio => Capacity == Storm
        ? null
        : BenchStatistics.RatioInterval(InStorm.Select(r => r.TokensPerSecond).ToArray(), AtCapacity.Select(r => r.TokensPerSecond).ToArray());
}
