using ScottPlot;

namespace AscendAio.Evaluation;

/// <summary>Accuracy against TPS per configuration, one panel-free plot with one marker series per workload (SVG and PNG).</summary>
public static class ParetoPlot
{
    public static void Save(BenchResults results, IEnumerable<string> workloads, string pathWithoutExtension)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
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
            foreach (var run in runs)
            {
                var label = plot.Add.Text(run.Config, run.Tps, run.Accuracy * 100);
                label.LabelFontSize = 9;
                label.LabelFontColor = color;
                label.OffsetX = 5;
            }
        }
        plot.Title("A-IO vs baselines: accuracy against throughput");
        plot.XLabel("tokens/s (generated tokens ÷ wall time incl. routing and prefill)");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(pathWithoutExtension + ".png", 1200, 800);
        plot.SaveSvg(pathWithoutExtension + ".svg", 1200, 800);
    }
}
