using System.Globalization;
using System.Text;

namespace AscendAio.Host.Metrics;

/// <summary>Writes Prometheus' text exposition format (version 0.0.4): HELP/TYPE lines, labelled samples, histograms.</summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public void Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public void Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                    _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    public void Histogram(string name, string help, Histogram histogram)
    {
        Family(name, "histogram", help);
        var (buckets, sum, count) = histogram.Snapshot();
        foreach (var (bound, cumulative) in buckets)
            Sample(name + "_bucket", cumulative, ("le", double.IsPositiveInfinity(bound) ? "+Inf" : Format(bound)));
        Sample(name + "_sum", sum);
        Sample(name + "_count", count);
    }

    public override string ToString() => _text.ToString();

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNaN(value) ? "NaN" : value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
