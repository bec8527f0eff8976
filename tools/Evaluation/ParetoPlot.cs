using ScottPlot;

namespace AscendAio.Evaluation;

/// <summary>Accuracy against TPS per configuration, one panel-free plot with one marker series per workload (SVG and PNG).</summary>
public static class ParetoPlot
{
    private const int Width = 1200, Height = 800;
    private const float FontSize = 9;

    public static void Save(BenchResults results, IEnumerable<string> workloads, string pathWithoutExtension)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var points = new List<(string Config, double Tps, double Accuracy, Color Color)>();
        var index = 0;
        foreach (var workload in workloads)
        {
            var runs = results.Runs.Where(r => r.Workload == workload).ToList();
            if (runs.Count == 0)
                continue;
            var color = palette.GetColor(index++);
            var scatter = plot.Add.ScatterPoints(runs.Select(r => r.Tps).ToArray(), runs.Select(r => r.Accuracy * 100).ToArray(), color);
            scatter.LegendText = $"workload {workload}";
            scatter.MarkerSize = 8;
            points.AddRange(runs.Select(r => (r.Config, r.Tps, r.Accuracy * 100, color)));
        }
        plot.Title("A-IO vs baselines: accuracy against throughput");
        plot.XLabel("tokens/s (generated tokens ÷ wall time incl. routing and prefill)");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);

        plot.RenderInMemory(Width, Height); // fixes the axis limits, so labels can be laid out in pixels
        var pixels = points.Select(p => plot.GetPixel(new Coordinates(p.Tps, p.Accuracy))).ToList();
        var area = plot.LastRender.DataRect;
        var labels = LabelLayout.Place(points.Select((p, i) => (p.Config, (double)pixels[i].X, (double)pixels[i].Y)).ToList(),
            (area.Left, area.Top, area.Right, area.Bottom), FontSize);
        foreach (var label in labels)
        {
            var first = points[label.Members[0]];
            var text = plot.Add.Text(label.Text, first.Tps, first.Accuracy);
            text.LabelFontSize = FontSize;
            text.LabelFontColor = first.Color;
            text.LabelAlignment = Alignment.MiddleLeft;
            text.OffsetX = (float)label.OffsetX;
            text.OffsetY = (float)label.OffsetY;
        }
        plot.SavePng(pathWithoutExtension + ".png", Width, Height);
        plot.SaveSvg(pathWithoutExtension + ".svg", Width, Height);
    }
}
