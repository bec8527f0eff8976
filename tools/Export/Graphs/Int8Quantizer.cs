namespace AscendAio.Export.Graphs;

/// <summary>
/// Symmetric per-output-channel int8 quantization of a Linear weight stored (out, in): each row r gets
/// scale_r = max|w_r| / 127 and q = round(w / scale_r) clamped to [-127, 127], zero point 0.
/// </summary>
public static class Int8Quantizer
{
    public static (sbyte[] Values, float[] Scales) Quantize(ReadOnlySpan<float> weight, int rows, int columns)
    {
        if (weight.Length != (long)rows * columns)
            throw new ArgumentException($"weight has {weight.Length} values, expected {rows}x{columns}");
        var values = new sbyte[weight.Length];
        var scales = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var row = weight.Slice(r * columns, columns);
            var max = 0f;
            foreach (var w in row)
                max = Math.Max(max, Math.Abs(w));
            var scale = max > 0 ? max / 127f : 1f;
            scales[r] = scale;
            for (var c = 0; c < columns; c++)
                values[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(row[c] / scale, MidpointRounding.ToEven), -127f, 127f);
        }
        return (values, scales);
    }

    /// <summary>The float weight the graph computes with: q · scale (what DequantizeLinear yields).</summary>
    public static float[] Dequantize(sbyte[] values, float[] scales, int columns)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = values[i] * scales[i / columns];
        return result;
    }
}
