using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;

namespace AscendAio.Host.Tests;

/// <summary>Small helpers for talking to the server the way an OpenAI client does.</summary>
internal static class Http
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, CancellationToken cancellation = default) =>
        client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), cancellation);

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Sends a streaming request and returns the response as soon as its headers arrive.</summary>
    public static Task<HttpResponseMessage> PostStreamAsync(this HttpClient client, string path, object body, CancellationToken cancellation = default) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, HttpCompletionOption.ResponseHeadersRead, cancellation);

    /// <summary>
    /// The /metrics text once it contains <paramref name="line"/>, as text or as a sample (<see cref="PrometheusAssert"/>) (or after <see cref="Eventually"/>'s bound, for the caller's assertions to report).
    /// A handler records a request's status after its response is sent, so a client can read the metrics a moment before they count it.
    /// </summary>
    public static async Task<string> MetricsOnceAsync(this HttpClient client, string line)
    {
        var text = "";
        await Eventually.WaitAsync(async () => (text = await client.GetStringAsync("/metrics")).Contains(line, StringComparison.Ordinal) || PrometheusAssert.Contains(text, line));
        return text;
    }

    /// <summary>The data payloads of a server-sent event stream, in order ("[DONE]" included), read to the end.</summary>
    public static async IAsyncEnumerable<string> ReadEventsAsync(this HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                yield return line["data: ".Length..];
        }
    }

    /// <summary>What the engine itself generates for a request: the reference the server's answers must match.</summary>
    public static GenerationResult Expected(HostFixture fixture, CompletionRequest request)
    {
        if (request.Model == EngineBackend.RoutedModel)
            return fixture.Router.Generate(request.Prompt, EngineBackend.Options(request, DecodingStrategy.Plain)).Result;
        var prepared = fixture.Backend.Prepare(request);
        var model = fixture.Backend.Resolve(request.Model) == Router.ModelRole.Small ? fixture.Models.Small! : fixture.Models.Large!;
        return Generator.Generate(model, prepared.PromptTokens, EngineBackend.Options(request, DecodingStrategy.Plain));
    }
}
