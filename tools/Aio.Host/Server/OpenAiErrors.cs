using System.Text.Json;
using AscendAio.Host.OpenAi;
using Microsoft.AspNetCore.Http;

namespace AscendAio.Host.Server;

/// <summary>Writes errors in OpenAI's shape with the matching status code.</summary>
internal static class OpenAiErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";
    public const string RateLimit = "rate_limit_error";

    public static async Task WriteAsync(HttpContext context, int status, string message, string type = InvalidRequest, string? param = null, string? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new ErrorResponse(new ErrorDetail(message, type, param, code));
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, OpenAiJson.Options), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The error as one server-sent event, for failures after a stream has started (the status is already 200).</summary>
    public static string AsEvent(string message, string type, string? code) =>
        "data: " + JsonSerializer.Serialize(new ErrorResponse(new ErrorDetail(message, type, null, code)), OpenAiJson.Options) + "\n\n";
}
