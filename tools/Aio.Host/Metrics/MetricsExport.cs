using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace AscendAio.Host.Metrics;

/// <summary>
/// Exports every Meter whose name starts with <see cref="MeterPrefix"/> (the host's <see cref="HostMetrics"/>, the
/// engine's, …) through OpenTelemetry's Prometheus exporter at /metrics.
/// </summary>
public static class MetricsExport
{
    public const string MeterPrefix = "AscendAio";

    /// <summary>
    /// Registers the exporter. Meters created with <paramref name="scope"/> are this server's; Meters with no scope
    /// (static, process-wide) are exported by every server; Meters of another server's scope are dropped.
    /// </summary>
    public static IServiceCollection AddAioMetrics(this IServiceCollection services, object scope)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterPrefix + "*")
            .AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, scope)
                ? null
                : MetricStreamConfiguration.Drop)
            .AddPrometheusExporter(options =>
            {
                // Every scrape reads the instruments now (tests and dashboards read right after a request).
                options.ScrapeResponseCacheDurationMilliseconds = 0;
                // The families as README lists them: no otel_scope_* labels, no target_info family.
                options.ScopeInfoEnabled = false;
                options.TargetInfoEnabled = false;
            }));
        return services;
    }
}
