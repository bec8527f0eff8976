using System.Diagnostics;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Prompts;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.Tasks;

namespace AscendAio.Evaluation;

public sealed partial class ConfigRunner
{
    /// <summary>
    /// The "small, truncated" baseline: every request on the small model, plain; a prompt longer than the small
    /// model's context less the new-token limit keeps its head (what the template puts before the request) and its
    /// last tokens, as the probe cuts long prompts. Long prompts are not moved to the large model, so the small model's
    /// collapse on long contexts is measured. It bypasses the router: no policy needs the probe here.
    /// </summary>
    public const string SmallTruncated = "small-truncated";

    private TracePass MeasureTruncated(IReadOnlyList<TaskItem> trace, Action<int>? progress)
    {
        var small = models.Small;
        // What precedes the request in every prompt (kept when a long request is cut).
        var head = small.Bundle.EncodePrompt(RequestPrompt.User("x")).AsSpan().CommonPrefixLength(small.Bundle.EncodePrompt(RequestPrompt.User("y")));
        var records = new List<RequestRecord>(trace.Count);
        var wall = Stopwatch.StartNew();
        foreach (var item in trace)
        {
            var start = Stopwatch.GetTimestamp();
            var options = new GenerationOptions { MaxNewTokens = maxTokensFor(item.Category) };
            var prompt = small.Bundle.EncodePrompt(RequestPrompt.User(item.Request));
            var room = Math.Max(head + 1, small.ContextLimit - options.MaxNewTokens);
            var cut = prompt.Length > room;
            if (cut)
                prompt = [.. prompt.AsSpan(0, head), .. prompt.AsSpan(prompt.Length - (room - head))];
            var decision = new RouteDecision
            {
                Model = ModelRole.Small,
                Strategy = DecodingStrategy.Plain,
                Category = item.Category,
                Reason = cut ? $"small, truncated to {prompt.Length} tokens (head {head} + tail)" : "small, whole prompt",
            };
            var result = Generator.Generate(small, prompt, options);
            records.Add(new RequestRecord(item, decision, scorer.Score(item, result.Text), result.Tokens.Length,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds, result.Metrics,
                new RequestTimings { PrefillMs = result.Metrics.PrefillMs, DecodeMs = result.Metrics.DecodeMs }));
            progress?.Invoke(records.Count);
        }
        return new TracePass(records, wall.Elapsed.TotalSeconds);
    }
}
