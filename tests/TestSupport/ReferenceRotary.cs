using AscendAio.Export.Checkpoint;

namespace AscendAio.TestSupport;

/// <summary>
/// The reference's own rotary frequencies, written from the definitions in Hugging Face's modeling_rope_utils
/// (default, linear, dynamic below max_position_embeddings, llama3, yarn) independently of the exporter's tables:
/// angle(position, i) = position · freq[i], and cos/sin scaled by <see cref="Scale"/> (yarn's attention factor).
/// </summary>
public sealed class ReferenceRotary
{
    public ReferenceRotary(LlamaConfig c)
    {
        var dim = c.HeadDim;
        var s = c.RopeScaling;
        var freq = new double[dim / 2];
        for (var i = 0; i < freq.Length; i++)
            freq[i] = Math.Pow(c.RopeTheta, -(2.0 * i) / dim);
        Scale = 1.0;
        switch (s.Type)
        {
            case RopeScalingType.Linear:
                for (var i = 0; i < freq.Length; i++)
                    freq[i] /= s.Factor;
                break;
            case RopeScalingType.Llama3:
                for (var i = 0; i < freq.Length; i++)
                {
                    // Wavelength bands relative to the pre-training context: keep, divide by the factor, or blend.
                    var waves = s.OriginalMaxPositions!.Value * freq[i] / (2 * Math.PI);   // original context / wavelength
                    var keep = Math.Clamp((waves - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor), 0, 1);
                    freq[i] = keep * freq[i] + (1 - keep) * freq[i] / s.Factor;
                }
                break;
            case RopeScalingType.Yarn:
                var original = (double)(s.OriginalMaxPositions ?? c.MaxPositions);
                var factor = s.OriginalMaxPositions is null ? s.Factor : c.MaxPositions / original;
                // The dimension at which a frequency completes r rotations over the original context.
                double DimensionOf(double rotations) => dim * Math.Log(original / (2 * Math.PI * rotations)) / (2 * Math.Log(c.RopeTheta));
                // transformers' _compute_yarn_parameters: the bounds are rounded outward unless truncate is false.
                var low = Math.Max(s.Truncate ? Math.Floor(DimensionOf(s.BetaFast)) : DimensionOf(s.BetaFast), 0);
                var high = Math.Min(s.Truncate ? Math.Ceiling(DimensionOf(s.BetaSlow)) : DimensionOf(s.BetaSlow), dim - 1);
                for (var i = 0; i < freq.Length; i++)
                {
                    var interpolate = Math.Clamp((i - low) / Math.Max(high - low, 1e-3), 0, 1);
                    freq[i] = interpolate * freq[i] / factor + (1 - interpolate) * freq[i];
                }
                // get_mscale(factor, m) = 0.1·m·ln(factor) + 1; with both mscale and mscale_all_dim set, their ratio.
                double Mscale(double m) => factor <= 1 ? 1.0 : 1.0 + 0.1 * m * Math.Log(factor);
                Scale = s.AttentionFactor ?? (s is { Mscale: { } m and not 0, MscaleAllDim: { } all and not 0 } ? Mscale(m) / Mscale(all) : Mscale(1));
                break;
        }
        Frequencies = freq;
    }

    /// <summary>(head_dim / 2) angular frequency per rotated pair.</summary>
    public double[] Frequencies { get; }

    public double Scale { get; }
}
