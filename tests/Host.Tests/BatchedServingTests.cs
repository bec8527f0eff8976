using System.Text.Json.Nodes;
using AscendAio.Host.Backends;

namespace AscendAio.Host.Tests;

/// <summary>
/// The server generates on the models' step schedulers: concurrent requests share batched steps and each answer is
/// what the engine generates for that request alone; sampled and PLD requests keep their own settings per row.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BatchedServingTests(HostFixture fixture)
{
    [Fact]
    public async Task ConcurrentRequests_ShareBatchedSteps_AndEachGetsItsAnswerAlone()
    {
        await using var server = await fixture.StartAsync();
        var large = fixture.Execution.Schedulers.Single(s => s.Model == fixture.Models.Large);
        var (steps, rows) = (large.Steps, large.RowSteps);
        var requests = new[]
        {
            new CompletionRequest { Model = HostFixture.LargeName, Prompt = "def add(a, b):", MaxTokens = 24 },
            new CompletionRequest { Model = HostFixture.LargeName, Prompt = "for i in range(10):", MaxTokens = 24, Temperature = 0.8, Seed = 7 },
            new CompletionRequest { Model = HostFixture.LargeName, Prompt = "x = [1, 2, 3]\ny = [1, 2, 3]\nz = [1, 2", MaxTokens = 24, Strategy = StrategyChoice.Pld },
            new CompletionRequest { Model = HostFixture.LargeName, Prompt = "What is the capital of France?", MaxTokens = 24, Stop = ["e"] },
        };
        var expected = requests.Select(r => Http.Expected(fixture, r).Text).ToArray();

        var answers = await Task.WhenAll(requests.Select(async r =>
        {
            using var response = await server.Client.PostJsonAsync("/v1/completions", Body(r));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.ReadObjectAsync())["choices"]![0]!["text"]!.GetValue<string>();
        }));

        Assert.Equal(expected, answers);
        Assert.True(large.RowSteps - rows > large.Steps - steps, $"{large.RowSteps - rows} rows in {large.Steps - steps} steps: the requests were not batched");
        await fixture.WaitForIdleCachesAsync();

        // The schedulers' instruments reach /metrics: batch occupancy, prefill budget use, the wait for a row.
        using var metrics = await server.Client.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("aio_batch_rows_bucket{", text);
        Assert.Contains($"model=\"{HostFixture.LargeName}\"", text);   // the served name, as every host metric
        Assert.Contains("aio_prefill_budget_use_bucket{", text);
        Assert.Contains("aio_row_wait_seconds_bucket{", text);
    }

    private static JsonObject Body(CompletionRequest r)
    {
        var body = new JsonObject { ["model"] = r.Model, ["prompt"] = r.Prompt, ["max_tokens"] = r.MaxTokens };
        if (r.Temperature > 0)
            (body["temperature"], body["seed"]) = (r.Temperature, r.Seed);
        if (r.Strategy == StrategyChoice.Pld)
            body["strategy"] = "pld";
        if (r.Stop.Count > 0)
            body["stop"] = new JsonArray([.. r.Stop.Select(s => JsonValue.Create(s))]);
        return body;
    }
}
