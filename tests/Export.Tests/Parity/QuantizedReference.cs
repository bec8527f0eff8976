using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Parity;

/// <summary>The reference forward over the weights a W8A16 graph computes with (int8 · scale), to separate graph error from quantization error.</summary>
internal static class QuantizedReference
{
    /// <summary>Stated W8A16 tolerance against the float reference: normwise relative logits error.</summary>
    public const double FloatTolerance = 2e-2;

    public static ReferenceForward Build(TinyCheckpoint checkpoint)
    {
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in LlamaTensorNames.Expected(checkpoint.Config))
        {
            var data = checkpoint.Weights[name];
            if (shape.Length == 2 && name != LlamaTensorNames.Embedding)
            {
                var (values, scales) = Int8Quantizer.Quantize(data, (int)shape[0], (int)shape[1]);
                data = Int8Quantizer.Dequantize(values, scales, (int)shape[1]);
            }
            weights[name] = data;
        }
        return new ReferenceForward(checkpoint.Config, weights);
    }
}
