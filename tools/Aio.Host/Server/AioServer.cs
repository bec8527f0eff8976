using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.Metrics;
using AscendAio.Host.OpenAi;
using AscendAio.Host.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AscendAio.Host.Server;

/// <summary>
/// The OpenAI-compatible HTTP host over a <see cref="ICompletionBackend"/>: ASP.NET Core minimal APIs on Kestrel.
/// POST /v1/completions, POST /v1/chat/completions, GET /v1/models, GET /health, GET /metrics. Runs in-process:
/// tests start it on 127.0.0.1 port 0 and read the bound address from <see cref="Urls"/>.
/// </summary>
public sealed class AioServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CompletionEndpoint _completions;
    private readonly byte[][] _apiKeys;

    private AioServer(WebApplication app, AioOptions options, ICompletionBackend backend, object metricsScope)
    {
        _app = app;
        Options = options;
        Backend = backend;
        Scheduler = new RequestScheduler(options.Limits.ConcurrentSequences, options.Limits.QueueLength);
        Metrics = new HostMetrics(metricsScope, Scheduler, backend);
        _apiKeys = options.Server.ApiKeys.Select(Encoding.UTF8.GetBytes).ToArray();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        _completions = new CompletionEndpoint(backend, Scheduler, Metrics, new RequestReader(options.Limits), options.Limits,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AscendAio.Host"), TimeSpan.FromSeconds(options.Limits.ShutdownGraceSeconds), lifetime.ApplicationStopping);
        Map();
    }

    public AioOptions Options { get; }

    public ICompletionBackend Backend { get; }

    public RequestScheduler Scheduler { get; }

    public HostMetrics Metrics { get; }

    /// <summary>The addresses Kestrel bound (with the real port when the configuration said port 0); valid after start.</summary>
    public IReadOnlyList<string> Urls => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>
    /// Builds the app. <paramref name="urls"/> overrides server:urls (the CLI's --urls); <paramref name="logging"/>
    /// adds log providers (none by default: library code does not print).
    /// </summary>
    public static AioServer Create(AioOptions options, ICompletionBackend backend, string? urls = null, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls(urls ?? options.Server.Urls);
        // A body over the limit is refused (413) before it is read: a prompt that cannot fit costs nothing to refuse.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Limits.RequestBodyLimit);
        // Kestrel waits this long for in-flight requests on shutdown; the endpoint cancels them at the grace period.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.Limits.ShutdownGraceSeconds + 5));
        var metricsScope = new object();
        builder.Services.AddAioMetrics(metricsScope);
        return new AioServer(builder.Build(), options, backend, metricsScope);
    }

    public Task StartAsync(CancellationToken cancellation = default) => _app.StartAsync(cancellation);

    /// <summary>Stops accepting requests, lets in-flight ones finish within the grace period, cancels the rest.</summary>
    public Task StopAsync(CancellationToken cancellation = default) => _app.StopAsync(cancellation);

    /// <summary>Runs until the process is told to stop (Ctrl-C, SIGTERM), then shuts down gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellation = default)
    {
        await _app.StartAsync(cancellation).ConfigureAwait(false);
        await _app.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _completions.Dispose();
        Metrics.Dispose();
        Scheduler.Dispose();
    }

    private void Map()
    {
        _app.Use(RequireApiKeyAsync);
        _app.MapPost("/v1/completions", context => _completions.HandleAsync(context, CompletionEndpoint.Kind.Text));
        _app.MapPost("/v1/chat/completions", context => _completions.HandleAsync(context, CompletionEndpoint.Kind.Chat));
        _app.MapGet("/v1/models", WriteModelsAsync);
        _app.MapGet("/v1/models/{**id}", WriteModelAsync);
        _app.MapGet("/health", WriteHealthAsync);
        _app.MapPrometheusScrapingEndpoint("/metrics");
        _app.MapFallback(context => OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound,
            $"no route for {context.Request.Method} {context.Request.Path}; see /v1/completions, /v1/chat/completions, /v1/models, /health, /metrics", code: "not_found"));
    }

    /// <summary>With server:apiKeys set, /v1/* and /metrics need "Authorization: Bearer KEY"; /health stays open for probes.</summary>
    private async Task RequireApiKeyAsync(HttpContext context, RequestDelegate next)
    {
        if (_apiKeys.Length == 0 || context.Request.Path.StartsWithSegments("/health"))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[7..].Trim()) : null;
        if (presented is not null && _apiKeys.Any(k => CryptographicOperations.FixedTimeEquals(k, presented)))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.Headers.WWWAuthenticate = "Bearer";
        Metrics.RecordStatus(context.Request.Path, "", StatusCodes.Status401Unauthorized);
        await OpenAiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized,
            presented is null ? "You didn't provide an API key: send it as 'Authorization: Bearer KEY'." : "Incorrect API key provided.",
            code: "invalid_api_key").ConfigureAwait(false);
    }

    private Task WriteModelsAsync(HttpContext context)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var list = new ModelList("list", Backend.ModelIds.Select(id => new ModelEntry(id, "model", created, "ascendaio")).ToList());
        return context.Response.WriteAsJsonAsync(list, OpenAiJson.Options);
    }

    /// <summary>GET /v1/models/{id} (the OpenAI SDKs' GetModel); ids may hold '/' (e.g. "org/model"), hence the catch-all route.</summary>
    private Task WriteModelAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (!Backend.ModelIds.Contains(id))
        {
            return OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                $"The model '{id}' does not exist; this server serves {string.Join(", ", Backend.ModelIds)}.", param: "model", code: CompletionRequestException.ModelNotFound);
        }
        return context.Response.WriteAsJsonAsync(new ModelEntry(id, "model", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "ascendaio"), OpenAiJson.Options);
    }

    private Task WriteHealthAsync(HttpContext context)
    {
        var status = Backend.Status();
        return context.Response.WriteAsJsonAsync(new
        {
            status = "ok",
            models = Backend.ModelIds,
            running = Scheduler.Running,
            queued = Scheduler.Waiting,
            device_memory = new { free = status.DeviceMemory.Free, used = status.DeviceMemory.Used, total = status.DeviceMemory.Total },
        }, OpenAiJson.Options);
    }
}
