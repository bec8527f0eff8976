using System.Runtime.InteropServices;
using AscendAio.Export.Checkpoint;
using AscendAio.Export.Onnx;
using N = AscendAio.Export.Checkpoint.LlamaTensorNames;

namespace AscendAio.Export.Graphs;

/// <summary>
/// A model's weights in the shared external file (weights.bin), and how graphs use them. Every floating tensor (the
/// embedding, norms, Linear weights, rotary tables) is stored in the export dtype (float32, float16 or bfloat16);
/// Linear weights keep the checkpoint's (out, in) layout, or are int8 with per-output-channel scales under W8A16
/// (dequantized in the graph right before their MatMul). Tensors stream from the checkpoint a range of rows at a time.
/// </summary>
public sealed class ModelWeights
{
    public const string RopeCos = "rope.cos";
    public const string RopeSin = "rope.sin";
    public const string ScaleSuffix = "_scale";

    /// <summary>Elements converted per read: bounds the managed memory an export needs, whatever the tensor size.</summary>
    public const int DefaultChunkElements = 1 << 22;

    private readonly ExternalWeightFile _file;

    private ModelWeights(ExternalWeightFile file, LlamaConfig config, ElementType dtype, QuantizationMode quantization, int maxContext)
    {
        _file = file;
        Config = config;
        DType = dtype;
        Quantization = quantization;
        MaxContext = maxContext;
    }

    public LlamaConfig Config { get; }

    /// <summary>The floating type of weights, activations and the KV cache.</summary>
    public ElementType DType { get; }
    public QuantizationMode Quantization { get; }
    public int MaxContext { get; }
    public string FileName => _file.FileName;
    public long DataBytes => _file.DataBytes;

    /// <summary>
    /// Converts every tensor of the checkpoint into <paramref name="file"/> as <paramref name="dtype"/>, plus the
    /// rotary tables for <paramref name="maxContext"/> positions. At most <paramref name="chunkElements"/> values
    /// (whole rows; one row if a row is longer) are held at a time.
    /// </summary>
    public static ModelWeights Write(LlamaCheckpoint checkpoint, ExternalWeightFile file, ElementType dtype, QuantizationMode quantization,
        int maxContext, int chunkElements = DefaultChunkElements)
    {
        if (!dtype.IsFloat())
            throw new ArgumentException($"export dtype must be float32, float16 or bfloat16, not {dtype.ManifestName()}");
        var c = checkpoint.Config;
        var weights = new ModelWeights(file, c, dtype, quantization, maxContext);
        foreach (var (name, shape) in N.Expected(c))
        {
            long rows = shape.Length == 2 ? shape[0] : 1, columns = shape.Length == 2 ? shape[1] : shape[0];
            var rowsPerChunk = (int)Math.Clamp(chunkElements / columns, 1, rows);
            var buffer = new float[rowsPerChunk * columns];
            if (shape.Length == 2 && name != N.Embedding && quantization == QuantizationMode.W8A16)
            {
                var scales = new float[rows];
                file.Add(name, ElementType.Int8, shape, stream => Stream(checkpoint, name, rows, columns, buffer, (chunk, first, count) =>
                {
                    var (values, chunkScales) = Int8Quantizer.Quantize(chunk, count, (int)columns);
                    chunkScales.CopyTo(scales.AsSpan((int)first));
                    stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
                }));
                file.Add(name + ScaleSuffix, ElementType.Float32, [rows], FloatEncoding.Encode(scales, ElementType.Float32));   // DequantizeLinear (opset < 19) takes float32 scales
            }
            else
            {
                var bytes = new byte[buffer.Length * dtype.SizeOf()];
                file.Add(name, dtype, shape, stream => Stream(checkpoint, name, rows, columns, buffer, (chunk, _, count) =>
                {
                    var encoded = bytes.AsSpan(0, chunk.Length * dtype.SizeOf());
                    FloatEncoding.Encode(chunk, dtype, encoded);
                    stream.Write(encoded);
                }));
            }
        }
        var (cos, sin) = RotaryTables(c.HeadDim, c.RopeTheta, maxContext);
        file.Add(RopeCos, dtype, [maxContext, c.HeadDim / 2], FloatEncoding.Encode(cos, dtype));
        file.Add(RopeSin, dtype, [maxContext, c.HeadDim / 2], FloatEncoding.Encode(sin, dtype));
        return weights;
    }

    private delegate void RowChunkHandler(ReadOnlySpan<float> chunk, long firstRow, int rowCount);

    private static void Stream(LlamaCheckpoint checkpoint, string name, long rows, long columns, float[] buffer, RowChunkHandler handle)
    {
        var rowsPerChunk = buffer.Length / columns;
        for (long first = 0; first < rows; first += rowsPerChunk)
        {
            var count = (int)Math.Min(rowsPerChunk, rows - first);
            var chunk = buffer.AsSpan(0, (int)(count * columns));
            checkpoint.ReadFloat(name, first * columns, chunk);
            handle(chunk, first, count);
        }
    }

    /// <summary>cos/sin of position · theta^(-2i / head_dim), (positions, head_dim / 2), computed in float64.</summary>
    public static (float[] Cos, float[] Sin) RotaryTables(int headDim, double theta, int positions)
    {
        var half = headDim / 2;
        var cos = new float[positions * half];
        var sin = new float[positions * half];
        for (var p = 0; p < positions; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = p / Math.Pow(theta, 2.0 * i / headDim);
                cos[p * half + i] = (float)Math.Cos(angle);
                sin[p * half + i] = (float)Math.Sin(angle);
            }
        }
        return (cos, sin);
    }

    /// <summary>A tensor of the weight file as a graph initializer (stored in <see cref="DType"/>), cast to <paramref name="compute"/> when that differs.</summary>
    public string Tensor(OnnxGraphBuilder graph, string name, ElementType compute)
    {
        var entry = _file[name];
        var tensor = graph.ExternalInitializer(entry, _file.FileName);
        return entry.Type == compute ? tensor : graph.Cast(tensor, compute);
    }

    /// <summary>y = x · Wᵀ in <paramref name="compute"/> for a Linear weight stored (out, in); under W8A16 W is DequantizeLinear(int8, scale, axis 0).</summary>
    public string Linear(OnnxGraphBuilder graph, string x, string weightName, ElementType compute)
    {
        var entry = _file[weightName];
        string weight;
        if (entry.Type == ElementType.Int8)
        {
            var scale = graph.ExternalInitializer(_file[weightName + ScaleSuffix], _file.FileName);
            var dequantized = graph.DequantizeLinear(graph.ExternalInitializer(entry, _file.FileName), scale, axis: 0);   // float32
            weight = compute == ElementType.Float32 ? dequantized : graph.Cast(dequantized, compute);
        }
        else
        {
            weight = Tensor(graph, weightName, compute);
        }
        return graph.MatMulTransposedB(x, weight);
    }
}
