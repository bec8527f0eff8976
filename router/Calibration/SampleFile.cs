using System.Text.Json;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Calibration;

/// <summary>
/// Calibration samples as JSON Lines, so τ can be re-searched under another objective without running the
/// models again. One object per request; outcomes keyed by route target text ("large/pld:6:2").
/// </summary>
public static class SampleFile
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Save(string path, IEnumerable<CalibrationSample> samples)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(path);
        foreach (var s in samples)
        {
            var row = new Row(s.Id, s.TrueCategory, s.ContextTokens, s.Probe.Distribution.Categories.ToArray(), s.Probe.Distribution.Probabilities.ToArray(),
                s.Probe.ProbeTokens, s.Probe.Truncated, s.Probe.TemplateMs, s.Probe.PrefillMs, s.DecisionMs, s.ReusePrefillMs,
                s.Outcomes.ToDictionary(p => p.Key.ToString(), p => p.Value));
            writer.WriteLine(JsonSerializer.Serialize(row, Json));
        }
    }

    public static List<CalibrationSample> Load(string path)
    {
        if (!File.Exists(path))
            throw new RoutingException($"sample file '{path}' does not exist");
        var samples = new List<CalibrationSample>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            try
            {
                var row = JsonSerializer.Deserialize<Row>(text, Json) ?? throw new JsonException("null row");
                samples.Add(new CalibrationSample
                {
                    Id = row.Id,
                    TrueCategory = row.TrueCategory,
                    ContextTokens = row.ContextTokens,
                    Probe = new ProbeResult
                    {
                        Distribution = new CategoryDistribution(row.Categories, row.Probabilities),
                        ProbeTokens = row.ProbeTokens,
                        Truncated = row.Truncated,
                        TemplateMs = row.TemplateMs,
                        PrefillMs = row.ProbePrefillMs,
                    },
                    DecisionMs = row.DecisionMs,
                    ReusePrefillMs = row.ReusePrefillMs,
                    Outcomes = row.Outcomes.ToDictionary(p => RouteTarget.Parse(p.Key), p => p.Value),
                });
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException or NullReferenceException)
            {
                throw new RoutingException($"{Path.GetFileName(path)}:{line}: not a calibration sample ({e.Message})", e);
            }
        }
        return samples;
    }

    private sealed record Row(string Id, string TrueCategory, int ContextTokens, string[] Categories, double[] Probabilities, int ProbeTokens,
        bool Truncated, double TemplateMs, double ProbePrefillMs, double DecisionMs, double? ReusePrefillMs, Dictionary<string, RunOutcome> Outcomes);
}
