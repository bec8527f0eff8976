using System.CommandLine;
using AscendAio.Export;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio export --checkpoint DIR --out BUNDLE [--dtype float32|float16|bfloat16] [--quant w8a16] [--chunk C] [--verify-k K] [--gears 128,512] [--batch 1,2,4,8]
/// [--max-context N] [--opset 13..15] [--name NAME]` (`aio export --help` lists them): Hugging Face checkpoint of a supported family ⇒ model bundle
/// (ONNX graphs + weights.bin + bundle.json + tokenizer + atc.sh); prints the graphs, their shapes and sizes.
/// </summary>
internal sealed class ExportCommand : IDeclaredCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "the Hugging Face checkpoint directory", HelpName = "DIR", Required = true };
    private static readonly Option<string> Out = new("--out") { Description = "the bundle directory to write", HelpName = "BUNDLE", Required = true };
    private static readonly Option<string?> ModelName = new("--name") { Description = "the bundle's model name (default: the checkpoint folder's name)" };
    private static readonly Option<string> DType = Checked(new Option<string>("--dtype")
    {
        Description = "weights, activations and KV cache: float32, float16 or bfloat16 (fp32, fp16, bf16)",
        DefaultValueFactory = _ => "float32",
    }, text => ParseDType(text));
    private static readonly Option<string> Quant = Checked(new Option<string>("--quant")
    {
        Description = "weight quantization: none or w8a16",
        DefaultValueFactory = _ => "none",
    }, text => QuantizationModes.Parse(text));
    private static readonly Option<int?> Chunk = OptionRules.Positive(new Option<int?>("--chunk") { Description = "prefill chunk (default: max context / 16, 64..512)", HelpName = "N" });
    private static readonly Option<int?> VerifyK = OptionRules.Positive(new Option<int?>("--verify-k") { Description = "draft tokens the verify profiles check [default: 4]", HelpName = "K" });
    private static readonly Option<int[]?> Gears = OptionRules.PositiveList("--gears", "KV window gears (default: follows the max context)");
    private static readonly Option<int[]?> Batch = OptionRules.PositiveList("--batch", "batch gears of decode and verify [default: 1]");
    private static readonly Option<int?> MaxContext = OptionRules.Range(new Option<int?>("--max-context") { Description = "largest context (default: the checkpoint's)", HelpName = "N" }, 2, int.MaxValue);
    private static readonly Option<int?> Opset = OptionRules.Range(new Option<int?>("--opset") { Description = "ONNX opset [default: 14]", HelpName = "13..15" }, 13, 15);

    public string Name => "export";

    public string Summary => "export a Hugging Face checkpoint (Llama, Qwen2/2.5, Qwen3, openPangu-Embedded, Mistral; safetensors) to a model bundle";

    public void Declare(Command command)
    {
        foreach (var option in new Option[] { Checkpoint, Out, DType, Quant, Chunk, VerifyK, Gears, Batch, MaxContext, Opset, ModelName })
            command.Options.Add(option);
    }

    public int Run(ParseResult parse)
    {
        ExportOptions options;
        try
        {
            options = new ExportOptions
            {
                CheckpointDirectory = parse.GetRequiredValue(Checkpoint),
                OutputDirectory = parse.GetRequiredValue(Out),
                ModelName = parse.GetValue(ModelName),
                DType = ParseDType(parse.GetRequiredValue(DType)),
                Quantization = QuantizationModes.Parse(parse.GetRequiredValue(Quant)),
                PrefillChunk = parse.GetValue(Chunk),   // default: follows the max context
                VerifyK = parse.GetValue(VerifyK) ?? 4,
                Gears = parse.GetValue(Gears) is { Length: > 0 } gears ? gears : null, // System.CommandLine gives [] when absent
                BatchGears = parse.GetValue(Batch) is { Length: > 0 } batch ? batch : [1],
                MaxContext = parse.GetValue(MaxContext),
                Opset = parse.GetValue(Opset) ?? 14,
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

    /// <summary>Adds a validator that runs <paramref name="parse"/>; its ArgumentException's message is the usage error.</summary>
    private static Option<string> Checked<T>(Option<string> option, Func<string, T> parse)
    {
        option.Validators.Add(result =>
        {
            try
            {
                parse(result.GetValueOrDefault<string>());
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
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
