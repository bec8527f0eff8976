using System.Text;
using AscendAio.Engine.Bundles;

namespace AscendAio.Export;

/// <summary>
/// atc.sh: one `atc` line per graph that compiles the bundle's ONNX files to .om for the Ascend 910B
/// (framework 5 = ONNX, static ND shapes, fp32 kept as in the graph). Each (kind, gear) is its own static graph,
/// so no line needs --dynamic_dims.
/// </summary>
public static class AtcScript
{
    public const string FileName = "atc.sh";

    public static string Render(BundleManifest manifest)
    {
        var sb = new StringBuilder();
        sb.Append("#!/usr/bin/env bash\n");
        sb.Append($"# Compile the ONNX graphs of bundle '{manifest.ModelName}' to .om with CANN's atc. Run from the bundle directory.\n");
        sb.Append("# SOC selects the chip (default Ascend910B3). Graphs are static-shape; weights come from ")
          .Append(manifest.Weights.File).Append(" beside them.\n");
        sb.Append("set -euo pipefail\ncd \"$(dirname \"$0\")\"\n");
        foreach (var graph in manifest.Graphs)
        {
            var shapes = string.Join(";", graph.Inputs.Select(i => $"{i.Name}:{string.Join(",", i.Shape)}"));
            sb.Append($"atc --framework=5 --soc_version=${{SOC:-Ascend910B3}} --model={graph.File} --output={graph.Name}")
              .Append($" --input_format=ND --input_shape=\"{shapes}\" --precision_mode=must_keep_origin_dtype\n");
        }
        return sb.ToString();
    }

    public static void Write(string bundleDirectory, BundleManifest manifest)
    {
        var path = Path.Combine(bundleDirectory, FileName);
        File.WriteAllText(path, Render(manifest));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
