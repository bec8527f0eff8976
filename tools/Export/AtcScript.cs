using System.Text;
using AscendAio.Engine.Bundles;
using AscendAio.Export.Graphs;

namespace AscendAio.Export;

/// <summary>
/// atc.sh: compiles the bundle's one ONNX graph to model.om for the Ascend NPU (framework 5 = ONNX, ND format) with
/// every profile as a --dynamic_dims gear, so one .om holds the weights once. The SoC comes from $SOC or
/// `npu-smi info`; the precision mode keeps the exported dtype. Idempotent: an .om newer than its inputs is kept.
/// </summary>
public static class AtcScript
{
    public const string FileName = "atc.sh";

    /// <summary>
    /// atc's --precision_mode for a bundle dtype. The graph already states each op's precision (matmuls and
    /// activations in the dtype, RMSNorm statistics and softmax in float32), so atc must keep it:
    /// must_keep_origin_dtype for every dtype. atc's default for inference, force_fp16, would turn a bfloat16 graph
    /// and the float32 norms into float16, and bfloat16 is kept only under must_keep_origin_dtype on Atlas A2
    /// (910B) parts. Source: CANN ATC instructions, --precision_mode (atlasatcparam_16_0068, CANN 9.0.0).
    /// </summary>
    public static string PrecisionMode(string dtype) => dtype switch
    {
        "float32" or "float16" or "bfloat16" => "must_keep_origin_dtype",
        _ => throw new ArgumentException($"no atc precision mode for dtype '{dtype}'"),
    };

    public static string Render(BundleManifest manifest, GraphSpec spec)
    {
        var graph = manifest.Graph;
        var output = Path.GetFileNameWithoutExtension(graph.OmFile);
        var sb = new StringBuilder();
        sb.Append("#!/usr/bin/env bash\n");
        sb.Append($"# Compiles bundle '{manifest.ModelName}' ({graph.OnnxFile}, {graph.Profiles.Count} dynamic-dims gears) to {graph.OmFile} with CANN's atc.\n");
        sb.Append("# Usage: [SOC=Ascend910B3] ./atc.sh   (default SoC: npu-smi info's Name with an 'Ascend' prefix). Re-running is safe.\n");
        sb.Append("set -euo pipefail\ncd \"$(dirname \"$0\")\"\n");
        sb.Append("command -v atc >/dev/null || { echo \"atc not found: source /usr/local/Ascend/ascend-toolkit/set_env.sh first\" >&2; exit 1; }\n");
        sb.Append($"for f in {graph.OnnxFile} {manifest.Weights.File}; do [ -s \"$f\" ] || {{ echo \"$f is missing or empty: re-export the bundle with aio export\" >&2; exit 1; }}; done\n");
        sb.Append("if [ -z \"${SOC:-}\" ]; then\n");
        sb.Append("  command -v npu-smi >/dev/null || { echo \"set SOC (e.g. SOC=Ascend910B3): npu-smi is not available\" >&2; exit 1; }\n");
        sb.Append("  SOC=\"Ascend$(npu-smi info | awk -F'|' '/^\\| *[0-9]+ +[0-9A-Za-z]+ +\\|/ { split($2, a, \" \"); print a[2]; exit }')\"\n");
        sb.Append("  [ \"$SOC\" != Ascend ] || { echo \"could not read the chip name from npu-smi info; set SOC\" >&2; exit 1; }\n");
        sb.Append("fi\n");
        sb.Append($"if [ {graph.OmFile} -nt {graph.OnnxFile} ] && [ {graph.OmFile} -nt {manifest.Weights.File} ] && [ \"$(cat {output}.soc 2>/dev/null)\" = \"$SOC\" ]; then\n");
        sb.Append($"  echo \"{graph.OmFile} is up to date for $SOC\"; exit 0\nfi\n");
        sb.Append($"atc --framework=5 --soc_version=\"$SOC\" --model={graph.OnnxFile} --output={output} --input_format=ND \\\n");
        sb.Append($"  --input_shape=\"{spec.AtcInputShape()}\" \\\n");
        sb.Append($"  --dynamic_dims=\"{spec.AtcDynamicDims()}\" \\\n");
        sb.Append($"  --precision_mode={PrecisionMode(manifest.DType)} --log=error\n");
        sb.Append($"echo \"$SOC\" > {output}.soc\n");
        sb.Append($"echo \"wrote {graph.OmFile} for $SOC\"\n");
        return sb.ToString();
    }

    public static void Write(string bundleDirectory, BundleManifest manifest, GraphSpec spec)
    {
        var path = Path.Combine(bundleDirectory, FileName);
        File.WriteAllText(path, Render(manifest, spec));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
