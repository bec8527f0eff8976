using System.Diagnostics;
using AscendAio.Host.Configuration;

namespace AscendAio.Host.Backends;

/// <summary>
/// `aio config check --deep`: loads the configured models on the configured device as `aio serve` does and runs one
/// short greedy completion through every served model ("aio" included), so a bundle whose files look right but which the
/// device cannot load or run (an operator it lacks, a graph ONNX Runtime refuses) is found before serving.
/// </summary>
public static class SmokeRun
{
    public const string Prompt = "Hello";

    /// <summary>One served model's outcome: the tokens it generated and the time, or the problem.</summary>
    public sealed record Outcome(string Model, int Tokens, double Milliseconds, string? Problem);

    /// <summary>
    /// The load's failure is one outcome named "(load)"; otherwise one per served model. Never throws for a bundle's
    /// fault: every exception becomes the outcome's problem.
    /// </summary>
    public static IReadOnlyList<Outcome> Run(AioOptions options, int maxTokens = 2)
    {
        ServingStack stack;
        try
        {
            stack = ServingStack.Load(options);
        }
        catch (Exception e)
        {
            return [new Outcome("(load)", 0, 0, e.Message)];
        }
        using (stack)
        {
            var outcomes = new List<Outcome>();
            foreach (var model in stack.Backend.ModelIds)
                outcomes.Add(RunOne(stack.Backend, model, maxTokens));
            return outcomes;
        }
    }

    private static Outcome RunOne(ICompletionBackend backend, string model, int maxTokens)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var prepared = backend.Prepare(new CompletionRequest { Model = model, Prompt = Prompt, MaxTokens = maxTokens });
            return Task.Run(async () =>
            {
                await using var run = await backend.StartAsync(prepared, CancellationToken.None).ConfigureAwait(false);
                var tokens = 0;
                await foreach (var update in run.Updates.ConfigureAwait(false))
                    tokens += update.Tokens.Length;
                return new Outcome(model, tokens, Stopwatch.GetElapsedTime(start).TotalMilliseconds, tokens > 0 ? null : "generated no token");
            }).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            return new Outcome(model, 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds, e.Message);
        }
    }
}
