using System.Runtime.InteropServices;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Onnx;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.Export.Graphs;

/// <summary>
/// A model's weights in the shared external file (weights.bin), and how graphs use them: the embedding, norms and
/// rotary tables stay float32; Linear weights keep the checkpoint's (out, in) layout and are float32, or int8 with
/// per-output-channel scales under W8A16 (dequantized in the graph right before their Gemm).
/// </summary>
public sealed class ModelWeights
{
    public const string RopeCos = "rope.cos";
    public const string RopeSin = "rope.sin";
    public const string ScaleSuffix = "_scale";

    private readonly ExternalWeightFile _file;

    private ModelWeights(ExternalWeightFile file, LlamaConfig config, QuantizationMode quantization, int maxContext)
    {
        _file = file;
        Config = config;
        Quantization = quantization;
        MaxContext = maxContext;
    }

    public LlamaConfig Config { get; }
    public QuantizationMode Quantization { get; }
    public int MaxContext { get; }
    public string FileName => _file.FileName;
    public long DataBytes => _file.DataBytes;

    /// <summary>Converts every tensor of the checkpoint into <paramref name="file"/>, plus the rotary tables for <paramref name="maxContext"/> positions.</summary>
    public static ModelWeights Write(LlamaCheckpoint checkpoint, ExternalWeightFile file, QuantizationMode quantization, int maxContext)
    {
        var c = checkpoint.Config;
        var weights = new ModelWeights(file, c, quantization, maxContext);
        foreach (var (name, shape) in N.Expected(c))
        {
            var data = checkpoint.ReadFloat(name);
            if (shape.Length == 2 && name != N.Embedding && quantization == QuantizationMode.W8A16)
            {
                var (values, scales) = Int8Quantizer.Quantize(data, (int)shape[0], (int)shape[1]);
                file.Add(name, ElementType.Int8, shape, MemoryMarshal.AsBytes(values.AsSpan()));
                file.Add(name + ScaleSuffix, ElementType.Float32, [shape[0]], MemoryMarshal.AsBytes(scales.AsSpan()));
            }
            else
            {
                file.Add(name, ElementType.Float32, shape, MemoryMarshal.AsBytes(data.AsSpan()));
            }
        }
        var (cos, sin) = RotaryTables(c, maxContext);
        file.Add(RopeCos, ElementType.Float32, [maxContext, c.HeadDim / 2], MemoryMarshal.AsBytes(cos.AsSpan()));
        file.Add(RopeSin, ElementType.Float32, [maxContext, c.HeadDim / 2], MemoryMarshal.AsBytes(sin.AsSpan()));
        return weights;
    }

    /// <summary>
    /// cos/sin of position · inverse frequency i, times the rope type's attention factor (yarn), (positions,
    /// head_dim / 2), computed in float64 (<see cref="RotaryFrequencies"/>).
    /// </summary>
    public static (float[] Cos, float[] Sin) RotaryTables(LlamaConfig config, int positions)
    {
        var (frequencies, scale) = RotaryFrequencies.For(config);
        var half = frequencies.Length;
        var cos = new float[positions * half];
        var sin = new float[positions * half];
        for (var p = 0; p < positions; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = p * frequencies[i];
                cos[p * half + i] = (float)(Math.Cos(angle) * scale);
                sin[p * half + i] = (float)(Math.Sin(angle) * scale);
            }
        }
        return (cos, sin);
    }

    /// <summary>A float32 tensor of the weight file as a graph initializer.</summary>
    public string Tensor(OnnxGraphBuilder graph, string name) => graph.ExternalInitializer(_file[name], _file.FileName);

    /// <summary>y = x · Wᵀ for a Linear weight stored (out, in); under W8A16 W is DequantizeLinear(int8, scale, axis 0).</summary>
    public string Linear(OnnxGraphBuilder graph, string x, string weightName)
    {
        var entry = _file[weightName];
        var weight = graph.ExternalInitializer(entry, _file.FileName);
        if (entry.Type == ElementType.Int8)
        {
            var scale = graph.ExternalInitializer(_file[weightName + ScaleSuffix], _file.FileName);
            weight = graph.DequantizeLinear(weight, scale, axis: 0);
        }
        return graph.MatMulTransposedB(x, weight);
    }
}
