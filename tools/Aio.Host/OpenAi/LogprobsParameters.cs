using System.Text.Json;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// The log-probability fields of OpenAI's requests, as <see cref="CompletionRequest.Logprobs"/> (null: off; n: the
/// chosen tokens' log probabilities and n alternatives). Chat: "logprobs" (boolean) and "top_logprobs" (0..20, only
/// with logprobs true). Completions: "logprobs" (0..5; null is off, 0 still returns the chosen tokens'). OpenAI's API
/// reference, CreateChatCompletionRequest and CreateCompletionRequest.
/// </summary>
internal static class LogprobsParameters
{
    /// <summary>The legacy completions endpoint's bound on alternatives.</summary>
    public const int MaxCompletionAlternatives = 5;

    public static int? Chat(JsonElement logprobs, JsonElement topLogprobs)
    {
        var on = logprobs.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.True => true,
            _ => throw new CompletionRequestException("'logprobs' must be a boolean", "logprobs"),
        };
        var top = Count(topLogprobs, "top_logprobs", TokenLogprob.MaxTop);
        if (top is > 0 && !on)
            throw new CompletionRequestException("'top_logprobs' needs 'logprobs' set to true", "top_logprobs");
        return on ? top ?? 0 : null;
    }

    public static int? Completion(JsonElement logprobs) => Count(logprobs, "logprobs", MaxCompletionAlternatives);

    private static int? Count(JsonElement value, string param, int max)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count) || count < 0 || count > max)
            throw new CompletionRequestException($"'{param}' must be an integer in [0, {max}], got {value.GetRawText()}", param);
        return count;
    }
}
