using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Router.Tests;

/// <summary>Routing inputs with a probe result of a chosen distribution.</summary>
internal static class Inputs
{
    public static readonly string[] Categories = ["code", "qa", "math"];

    public static ProbeResult Probe(params double[] probabilities) => Probe(Categories, probabilities);

    public static ProbeResult Probe(string[] categories, double[] probabilities) => new()
    {
        Distribution = new CategoryDistribution(categories, probabilities),
        ProbeTokens = 10,
        Truncated = false,
        TemplateMs = 0,
        PrefillMs = 0,
    };

    /// <summary>Two-way split between <paramref name="top"/> and the next category with entropy exactly <paramref name="entropy"/> (&lt; ln 2).</summary>
    public static ProbeResult ProbeWithEntropy(string top, double entropy)
    {
        // Binary entropy h(p) is decreasing on [½, 1]: bisect for h(p) = entropy.
        double lo = 0.5, hi = 1.0;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (CategoryDistribution.ShannonEntropy([mid, 1 - mid]) > entropy)
                lo = mid;
            else
                hi = mid;
        }
        var p = new double[3];
        var at = Array.IndexOf(Categories, top);
        p[at] = hi;
        p[(at + 1) % 3] = 1 - hi;
        return Probe(p);
    }

    public static RoutingInput With(ProbeResult? probe, int context, string? trueCategory = null) =>
        new() { Probe = probe, ContextTokens = context, TrueCategory = trueCategory };
}
