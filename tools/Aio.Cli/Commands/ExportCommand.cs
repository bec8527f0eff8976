using AscendAio.Export;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio export --checkpoint DIR --out BUNDLE [--dtype float32|float16|bfloat16] [--quant w8a16] [--chunk C] [--verify-k K] [--gears 128,512] [--batch 1,2,4,8]
/// [--max-context N] [--opset 13..15] [--name NAME]`: Llama checkpoint ⇒ model bundle
/// (ONNX graphs + weights.bin + bundle.json + tokenizer + atc.sh); prints the graphs, their shapes and sizes.
/// </summary>
internal sealed class ExportCommand : ICommand
{
    public string Name => "export";

    public string Summary => "export a Llama checkpoint (safetensors) to a model bundle (ONNX graphs, bundle.json, atc.sh)";

    public int Run(string[] args)
    {
        var cl = CommandLine.Parse(args,
            ["--checkpoint", "--out", "--dtype", "--quant", "--chunk", "--verify-k", "--gears", "--batch", "--max-context", "--opset", "--name"], []);
        if (cl.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{cl.Positional[0]}'");
        ExportOptions options;
        try
        {
            options = new ExportOptions
            {
                CheckpointDirectory = cl.Required("--checkpoint"),
                OutputDirectory = cl.Required("--out"),
                ModelName = cl.String("--name"),
                DType = ParseDType(cl.String("--dtype") ?? "float32"),
                Quantization = QuantizationModes.Parse(cl.String("--quant") ?? "none"),
                PrefillChunk = cl.String("--chunk") is not null ? cl.Int("--chunk", 0, min: 1) : null,   // default: follows the max context
                VerifyK = cl.Int("--verify-k", 4, min: 1),
                Gears = cl.String("--gears") is { } g ? ParseList("--gears", g) : null,
                BatchGears = cl.String("--batch") is { } b ? ParseList("--batch", b) : [1],
                MaxContext = cl.String("--max-context") is not null ? cl.Int("--max-context", 0, min: 2) : null,
                Opset = cl.Int("--opset", 14, min: 13, max: 15),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        ExportResult result;
        try
        {
            result = BundleExporter.Export(options);
        }
        catch (Exception e) when (e is CheckpointException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine($"aio export: {e.Message}");
            return 1;
        }
        Print(result);
        return 0;
    }

    private static ElementType ParseDType(string text) => text switch
    {
        "float32" or "fp32" => ElementType.Float32,
        "float16" or "fp16" => ElementType.Float16,
        "bfloat16" or "bf16" => ElementType.BFloat16,
        _ => throw new ArgumentException($"--dtype '{text}': expected float32, float16 or bfloat16"),
    };

    private static IReadOnlyList<int> ParseList(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Select(p => int.TryParse(p, out var v) && v > 0 ? v : throw new UsageException($"{option}: '{p}' is not a positive integer")).ToArray();
    }

    private static void Print(ExportResult result)
    {
        var m = result.Manifest;
        Console.WriteLine($"bundle {m.ModelName} -> {result.BundleDirectory}");
        Console.WriteLine($"  {m.Model.Architecture}: hidden {m.Model.HiddenSize}, layers {m.Model.Layers}, heads {m.Model.Heads}/{m.Model.KvHeads} kv, " +
                          $"head_dim {m.Model.HeadDim}, ffn {m.Model.IntermediateSize}, vocab {m.Model.VocabSize}, tied {m.Model.TieWordEmbeddings}");
        Console.WriteLine($"  max context {m.MaxContext}, chunk {m.PrefillChunk}, verify K {m.VerifyK}, gears {string.Join(",", m.Gears)}, opset {m.OnnxOpset}");
        Console.WriteLine($"  {m.Weights.File}: {result.WeightFileBytes:N0} bytes on disk, {m.Weights.Bytes:N0} bytes of tensors ({m.Weights.Quantization})");
        var g = m.Graph;
        var inputs = string.Join(" ", g.Inputs.Select(i => $"{i.Name}({string.Join("x", i.Dims)})"));
        var outputs = string.Join(" ", g.Outputs.Select(o => $"{o.Name}({string.Join("x", o.Dims)})"));
        Console.WriteLine($"  {g.OnnxFile} {g.FileBytes:N0} B  in: {inputs}  out: {outputs}");
        Console.WriteLine($"  {g.Profiles.Count} profiles (atc dynamic-dims gears): {string.Join(" ", g.Profiles.Select(p => $"{p.Tokens}x{p.Window}"))}");
        if (g.CpuOnnxFile is { } cpu)
            Console.WriteLine($"  {cpu}: the same graph in float32 with {m.DType} rounding, for the CPU device (ONNX Runtime's CPU kernels lack {m.DType})");
        Console.WriteLine($"  atc.sh compiles {g.OnnxFile} to {g.OmFile}; export took {result.Elapsed.TotalSeconds:F2} s");
    }
}
