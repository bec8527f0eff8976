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
internal sealed class CompletionEndpoint : IDisposable
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

    public CompletionEndpoint(ICompletionBackend backend, RequestScheduler scheduler, HostMetrics metrics, RequestReader reader,
        LimitOptions limits, ILogger logger, TimeSpan grace, CancellationToken stopping)
    {
        _backend = backend;
        _scheduler = scheduler;
        _metrics = metrics;
        _reader = reader;
        _limits = limits;
        _logger = logger;
        // At shutdown Kestrel stops accepting; every request it already received is served within the grace period
        // (never refused unread), and what still runs when it ends is cancelled.
        stopping.Register(() => _drain.CancelAfter(grace));
    }

    public void Dispose() => _drain.Dispose();

    public async Task HandleAsync(HttpContext context, Kind kind)
    {
        var endpoint = kind == Kind.Chat ? "chat.completions" : "completions";
        var model = "";
        var status = StatusCodes.Status200OK;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _drain.Token);
        try
        {
            var body = await ReadBodyAsync(context, kind);
            model = (body as ChatCompletionBody)?.Model ?? (body as CompletionBody)?.Model ?? "";
            var (request, stream) = body is ChatCompletionBody chat ? _reader.Read(chat) : _reader.Read((CompletionBody)body);
            var includeUsage = stream && RequestReader.IncludeUsage((body as ChatCompletionBody)?.StreamOptions ?? (body as CompletionBody)?.StreamOptions);

            // Admission before any expensive step: a request the queue refuses has cost its parse and the admission wait only.
            using var ticket = await _scheduler.AdmitAsync(TimeSpan.FromMilliseconds(_limits.AdmissionWaitMs), cancel.Token);
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
            // Tokenizes with the template, stopping past limits:maxPromptTokens (or the model's context): a prompt over
            // the limit costs the limit. A refusal here leaves the queue place at once (the ticket is disposed).
            var prepared = _backend.Prepare(request);
            var admitted = Stopwatch.GetTimestamp();
            await ticket.WaitAsync(cancel.Token);
            _metrics.RecordQueueWait(ticket.QueueTime);
            await using var run = await _backend.StartAsync(prepared, cancel.Token);
            context.Response.Headers[RouteInfo.HeaderName] = run.Route.ToHeaderValue();
            var logprobs = request.Logprobs is null ? null : new ResponseLogprobs(run.Tokenizer, request.Prompt.Length);
            var response = new ResponseWriter(context, kind, request.Model, run.Route, ticket.QueueTime, admitted, includeUsage, logprobs);
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
        catch (RequestBodyException e)
        {
            // The client's fault or the transport's, not the server's: no error log, no stack trace, not a failure.
            status = e.Aborted ? 499 : e.Status;
            if (e.Aborted)
            {
                _metrics.RecordAborted();
                if (_logger.IsEnabled(LogLevel.Debug))
                    _logger.LogDebug("{Endpoint} request body did not arrive whole: {Reason}", endpoint, e.Message);
            }
            await WriteClientFaultAsync(context, e);
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

    /// <summary>
    /// Parses the body; the model is known from here on (for metrics) even if a later check fails. Kestrel enforces
    /// limits:maxRequestBytes (413 before reading a body whose Content-Length is over it) and its minimum data rate
    /// (408); both, a broken transfer and a client that went away surface here as <see cref="RequestBodyException"/>.
    /// </summary>
    private async Task<object> ReadBodyAsync(HttpContext context, Kind kind)
    {
        var type = kind == Kind.Chat ? typeof(ChatCompletionBody) : typeof(CompletionBody);
        try
        {
            // Buffered whole (Kestrel bounds it): the text check and the parse both read it.
            using var buffer = new MemoryStream((int)Math.Min(context.Request.ContentLength ?? 4096, _limits.RequestBodyLimit));
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            if (JsonTextCheck.FirstInvalidString(json.Span) is { } field)
            {
                throw new CompletionRequestException($"'{field}' is not valid text: it holds bytes that are not UTF-8 or an unpaired surrogate escape",
                    field.Length == 0 || field.EndsWith("(a property name)", StringComparison.Ordinal) ? null : field, "invalid_encoding");
            }
            try
            {
                return JsonSerializer.Deserialize(json.Span, type, OpenAiJson.Options)
                    ?? throw new CompletionRequestException("the body must be a JSON object", null, "invalid_json");
            }
            catch (JsonException e)
            {
                throw new CompletionRequestException(JsonBodyErrors.Describe(type, e), JsonBodyErrors.Field(e), "invalid_json");
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestBodyException(e.StatusCode,
                $"the request body is over this server's limit of {_limits.RequestBodyLimit:N0} bytes (limits:maxRequestBytes; by default " +
                $"{LimitOptions.BodyBytesPerPromptToken} bytes per token of limits:maxPromptTokens = {_limits.MaxPromptTokens}, plus {LimitOptions.BodyOverheadBytes / 1024} KiB)",
                "request_too_large", aborted: false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            throw new RequestBodyException(e.StatusCode, "the request body arrived too slowly; send it at once", "request_timeout", aborted: false);
        }
        catch (Exception e) when (e is IOException || e is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // A broken transfer (BadHttpRequestException: unexpected end, bad chunking) or a connection the client closed.
            throw new RequestBodyException(StatusCodes.Status400BadRequest, $"the request body did not arrive whole: {e.Message}", "incomplete_body", aborted: true);
        }
    }

    /// <summary>Answers a body fault when the client is still there to read it; a closed connection takes nothing.</summary>
    private static async Task WriteClientFaultAsync(HttpContext context, RequestBodyException e)
    {
        if (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted)
            return;
        try
        {
            await OpenAiErrors.WriteAsync(context, e.Status, e.Message, code: e.Code);
        }
        catch (Exception write) when (write is IOException or OperationCanceledException or InvalidOperationException)
        {
            // Gone between the check and the write.
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
