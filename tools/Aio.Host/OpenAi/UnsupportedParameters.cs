using System.Text.Json;
using AscendAio.Host.Backends;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// OpenAI request fields this server does not implement. Each is refused with a 400 naming it (code
/// "unsupported_parameter", as OpenAI answers a parameter a model does not take) when it asks for something, and
/// passes when it holds its "off" value (null, false, an empty list, "none"), so a client never gets an answer that
/// silently lacks what it asked for: a function-calling client learns at once that no tool call will come.
/// </summary>
internal static class UnsupportedParameters
{
    public const string Code = "unsupported_parameter";

    private const string NoTools = "this server's models generate text only: function calling is not implemented (send the request without tools)";

    public static void Refuse(ChatCompletionBody body)
    {
        RefuseUnlessEmpty(body.Tools, "tools", NoTools);
        RefuseUnlessEmpty(body.Functions, "functions", NoTools);
        RefuseUnlessNoneOrAuto(body.ToolChoice, "tool_choice");
        RefuseUnlessNoneOrAuto(body.FunctionCall, "function_call");
        if (body.ResponseFormat.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null) && !IsTextFormat(body.ResponseFormat))
            throw new CompletionRequestException(
                "'response_format' other than {\"type\": \"text\"} is not supported: JSON mode and structured outputs are not implemented", "response_format", Code);
    }

    public static void Refuse(CompletionBody body)
    {
        RefuseUnlessOff(body.Echo, "echo", "echoing the prompt back is not implemented");
        if (body.Suffix.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null) &&
            !(body.Suffix.ValueKind == JsonValueKind.String && body.Suffix.GetString()!.Length == 0))
            throw new CompletionRequestException("'suffix' is not supported: insertion (fill-in-the-middle) is not implemented", "suffix", Code);
        if (body.BestOf.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null) &&
            !(body.BestOf.ValueKind == JsonValueKind.Number && body.BestOf.TryGetInt32(out var bestOf) && bestOf == 1))
            throw new CompletionRequestException("'best_of' must be 1: one completion is generated per request", "best_of", Code);
    }

    private static void RefuseUnlessEmpty(JsonElement value, string param, string why)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0)
            return;
        throw new CompletionRequestException($"'{param}' is not supported: {why}", param, Code);
    }

    /// <summary>"none" and "auto" without tools both mean "answer with text", which is what the server does.</summary>
    private static void RefuseUnlessNoneOrAuto(JsonElement value, string param)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ||
            value.ValueKind == JsonValueKind.String && (value.ValueEquals("none") || value.ValueEquals("auto")))
            return;
        throw new CompletionRequestException($"'{param}' may only be \"none\" or \"auto\": {NoTools}", param, Code);
    }

    /// <summary>null, false or 0 ask for nothing.</summary>
    private static void RefuseUnlessOff(JsonElement value, string param, string why)
    {
        var off = value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => true,
            JsonValueKind.Number => value.TryGetInt32(out var n) && n == 0,
            _ => false,
        };
        if (!off)
            throw new CompletionRequestException($"'{param}' is not supported: {why}", param, Code);
    }

    private static bool IsTextFormat(JsonElement format) =>
        format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type) &&
        type.ValueKind == JsonValueKind.String && type.ValueEquals("text");
}
