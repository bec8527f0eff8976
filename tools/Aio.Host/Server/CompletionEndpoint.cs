using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.Metrics;
using AscendAio.Host.OpenAi;
using AscendAio.Host.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AscendAio.Host.Server;

/// <summary>
/// POST /v1/completions and /v1/chat/completions: read and check the body, admit the request to the scheduler (429
/// when full), wait for a sequence slot, start the run (route decided), then answer in one JSON body or as
/// server-sent events ending with [DONE]. A client that goes away cancels the generation, which frees its KV cache.
/// </summary>
internal sealed class CompletionEndpoint
{
    public enum Kind
    {
        Text,
        Chat,
    }

    private readonly ICompletionBackend _backend;
    private readonly RequestScheduler _scheduler;
    private readonly HostMetrics _metrics;
    private readonly RequestReader _reader;
    private readonly LimitOptions _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _drain = new();
    private volatile bool _stopping;

    public CompletionEndpoint(ICompletionBackend backend, RequestScheduler scheduler, HostMetrics metrics, RequestReader reader,
        LimitOptions limits, ILogger logger, CancellationToken stopping, TimeSpan grace)
    {
        _backend = backend;
        _scheduler = scheduler;
        _metrics = metrics;
        _reader = reader;
        _limits = limits;
        _logger = logger;
        // At shutdown no new request starts; in-flight ones get the grace period, then they are cancelled.
        stopping.Register(() =>
        {
            _stopping = true;
            _drain.CancelAfter(grace);
        });
    }

    public async Task HandleAsync(HttpContext context, Kind kind)
    {
        var endpoint = kind == Kind.Chat ? "chat.completions" : "completions";
        var model = "";
        var status = StatusCodes.Status200OK;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _drain.Token);
        try
        {
            if (_stopping)
            {
                status = StatusCodes.Status503ServiceUnavailable;
                await OpenAiErrors.WriteAsync(context, status, "the server is shutting down", OpenAiErrors.ServerError, code: "shutting_down");
                return;
            }
            var body = await ReadBodyAsync(context, kind);
            model = (body as ChatCompletionBody)?.Model ?? (body as CompletionBody)?.Model ?? "";
            var (request, stream) = body is ChatCompletionBody chat ? _reader.Read(chat) : _reader.Read((CompletionBody)body);
            var prepared = _backend.Prepare(request);
            if (prepared.PromptTokenCount > _limits.MaxPromptTokens)
                throw new CompletionRequestException(
                    $"the prompt has {prepared.PromptTokenCount} tokens with the template; this server accepts at most {_limits.MaxPromptTokens}",
                    kind == Kind.Chat ? "messages" : "prompt", "context_length_exceeded");

            using var ticket = _scheduler.TryAdmit();
            if (ticket is null)
            {
                status = StatusCodes.Status429TooManyRequests;
                _metrics.RecordRejected();
                context.Response.Headers.RetryAfter = _scheduler.RetryAfterSeconds().ToString();
                await OpenAiErrors.WriteAsync(context, status,
                    $"the request queue is full ({_scheduler.ConcurrentSequences} generating, {_scheduler.QueueLength} waiting); retry later",
                    OpenAiErrors.RateLimit, code: "queue_full");
                return;
            }
            var admitted = Stopwatch.GetTimestamp();
            await ticket.WaitAsync(cancel.Token);
            _metrics.RecordQueueWait(ticket.QueueTime);
            await using var run = await _backend.StartAsync(prepared, cancel.Token);
            context.Response.Headers[RouteInfo.HeaderName] = run.Route.ToHeaderValue();
            var response = new ResponseWriter(context, kind, request.Model, run.Route, ticket.QueueTime, admitted);
            var (_, metrics) = stream
                ? await response.StreamAsync(run.Updates, cancel.Token)
                : await response.WriteAllAsync(run.Updates, cancel.Token);
            _metrics.RecordCompletion(run.Route, metrics, Stopwatch.GetElapsedTime(admitted));
        }
        catch (CompletionRequestException e)
        {
            status = e.Status;
            await OpenAiErrors.WriteAsync(context, status, e.Message, param: e.Param, code: e.Code);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went away (nothing to answer) or the shutdown grace period ran out.
            status = 499;
            _metrics.RecordCancelled();
            if (!context.RequestAborted.IsCancellationRequested)
                await WriteFailureAsync(context, StatusCodes.Status503ServiceUnavailable, "the server shut down before the request finished", "shutting_down");
        }
        catch (Exception e)
        {
            // A failing graph execution (AclException) or any other engine fault fails this request only.
            status = StatusCodes.Status500InternalServerError;
            _metrics.RecordFailed();
            _logger.LogError(e, "{Endpoint} request for model {Model} failed", endpoint, model);
            await WriteFailureAsync(context, status, $"the request failed on the server: {e.Message}", e is Engine.Acl.AclException ? "device_error" : "internal_error");
        }
        finally
        {
            _metrics.RecordStatus(endpoint, model, status);
        }
    }

    /// <summary>Parses the body; the model is known from here on (for metrics) even if a later check fails.</summary>
    private static async Task<object> ReadBodyAsync(HttpContext context, Kind kind)
    {
        try
        {
            object? body = kind == Kind.Chat
                ? await JsonSerializer.DeserializeAsync<ChatCompletionBody>(context.Request.Body, OpenAiJson.Options, context.RequestAborted)
                : await JsonSerializer.DeserializeAsync<CompletionBody>(context.Request.Body, OpenAiJson.Options, context.RequestAborted);
            return body ?? throw new CompletionRequestException("the body must be a JSON object", null, "invalid_json");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path}" : "";
            throw new CompletionRequestException($"We could not parse the JSON body of your request{where}: {e.Message}", e.Path?.TrimStart('$', '.'), "invalid_json");
        }
    }

    /// <summary>A failure before the answer started becomes an error body; after a stream started, one error event ends it.</summary>
    private static async Task WriteFailureAsync(HttpContext context, int status, string message, string code)
    {
        try
        {
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.Remove(RouteInfo.HeaderName);
                await OpenAiErrors.WriteAsync(context, status, message, OpenAiErrors.ServerError, code: code);
            }
            else
            {
                await context.Response.WriteAsync(OpenAiErrors.AsEvent(message, OpenAiErrors.ServerError, code), CancellationToken.None);
                await context.Response.Body.FlushAsync(CancellationToken.None);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The connection is gone; there is no one left to tell.
        }
    }
}
