using System.Diagnostics.Metrics;

namespace AscendAio.Engine.Generation;

/// <summary>
/// The step schedulers' instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>), tagged by model:
/// batch occupancy, prefill budget use and the wait for a row. Recording allocates nothing.
/// </summary>
public static class SchedulerMetrics
{
    public const string MeterName = "AscendAio.Engine";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchRows = Meter.CreateHistogram<int>("aio_batch_rows", "{row}",
        "Rows per batched step (batch occupancy).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });

    private static readonly Histogram<double> PrefillBudget = Meter.CreateHistogram<double>("aio_prefill_budget_use", null,
        "Share of an iteration's prefill token budget spent, in iterations where prompts waited.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.25, 0.5, 0.75, 1] });

    private static readonly Histogram<double> RowWait = Meter.CreateHistogram<double>("aio_row_wait_seconds", "s",
        "Time from a request reaching its model's scheduler to its first prefill chunk (waiting for a row).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.025, 0.1, 0.5, 2, 10] });

    internal static void RecordStep(string model, int rows) => BatchRows.Record(rows, new KeyValuePair<string, object?>("model", model));

    internal static void RecordPrefillBudget(string model, double used)
    {
        if (PrefillBudget.Enabled)
            PrefillBudget.Record(used, new KeyValuePair<string, object?>("model", model));
    }

    internal static void RecordRowWait(string model, TimeSpan waited) =>
        RowWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("model", model));
}
