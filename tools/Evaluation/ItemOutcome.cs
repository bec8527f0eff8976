using System.Text.Json.Serialization;

namespace AscendAio.Evaluation;

/// <summary>
/// One request's outcome in <see cref="SuiteEvaluator"/> (`aio eval --items FILE` writes one per line): what the model
/// wrote and whether the item's scorer accepted it. <see cref="Error"/> is set, and the completion null, when the
/// request did not fit the model's context.
/// </summary>
public sealed record ItemOutcome(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("completion")] string? Completion,
    [property: JsonPropertyName("correct")] bool Correct,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
