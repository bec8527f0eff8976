using System.Runtime.InteropServices;

namespace AscendAio.Export.Onnx;

/// <summary>
/// The smallest useful graph, y = x·W + b (MatMul + Add), for device smoke tests and the demo:
/// x (rows, inFeatures) float32 in, y (rows, outFeatures) float32 out, W and b inline initializers.
/// </summary>
public static class LinearGraph
{
    public static long Write(string path, int rows, float[,] weight, float[] bias)
    {
        int inFeatures = weight.GetLength(0), outFeatures = weight.GetLength(1);
        if (bias.Length != outFeatures)
            throw new ArgumentException($"bias has {bias.Length} values; the weight has {outFeatures} columns", nameof(bias));
        var flat = new float[inFeatures * outFeatures];
        Buffer.BlockCopy(weight, 0, flat, 0, flat.Length * sizeof(float));

        var builder = new OnnxGraphBuilder("linear");
        var x = builder.Input("x", ElementType.Float32, rows, inFeatures);
        var w = builder.Initializer("W", ElementType.Float32, [inFeatures, outFeatures], MemoryMarshal.AsBytes(flat.AsSpan()));
        var b = builder.Initializer("b", ElementType.Float32, [outFeatures], MemoryMarshal.AsBytes(bias.AsSpan()));
        builder.Output(builder.Add(builder.MatMul(x, w), b), "y", ElementType.Float32, rows, outFeatures);
        return builder.Save(path);
    }

    /// <summary>The same computation on the host, in double, for checking a device result.</summary>
    public static float[] Compute(float[] x, int rows, float[,] weight, float[] bias)
    {
        int inFeatures = weight.GetLength(0), outFeatures = weight.GetLength(1);
        var y = new float[rows * outFeatures];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outFeatures; o++)
            {
                double sum = bias[o];
                for (var i = 0; i < inFeatures; i++)
                    sum += (double)x[r * inFeatures + i] * weight[i, o];
                y[r * outFeatures + o] = (float)sum;
            }
        }
        return y;
    }
}
