using System.Text.Encodings.Web;
using System.Text.Json;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// The one JSON setting of the OpenAI surface: snake_case both ways, nulls written (OpenAI sends "logprobs": null),
/// non-ASCII text as-is (the bodies are JSON for API clients, never embedded in HTML).
/// </summary>
public static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
