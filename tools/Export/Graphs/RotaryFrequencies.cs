using AscendAio.Export.Checkpoint;

namespace AscendAio.Export.Graphs;

/// <summary>
/// The rotary embedding's inverse frequencies (head_dim / 2) and the factor its cos/sin are multiplied by, per rope
/// type, following Hugging Face's modeling_rope_utils (computed here in float64). The tables are exact for every
/// position below max_position_embeddings, which the export plan never exceeds: "dynamic" (NTK) only changes its
/// frequencies past that length, so inside it equals the plain embedding.
/// </summary>
public static class RotaryFrequencies
{
    public static (double[] InverseFrequencies, double AttentionFactor) For(LlamaConfig c)
    {
        var plain = Plain(c.HeadDim, c.RopeTheta);
        var s = c.RopeScaling;
        return s.Type switch
        {
            RopeScalingType.Default or RopeScalingType.Dynamic => (plain, 1.0),
            RopeScalingType.Linear => (plain.Select(f => f / s.Factor).ToArray(), 1.0),
            RopeScalingType.Llama3 => (Llama3(plain, s), 1.0),
            _ => Yarn(c.HeadDim, c.RopeTheta, c.MaxPositions, s),
        };
    }

    /// <summary>theta^(-2i / head_dim), i = 0 .. head_dim/2 - 1.</summary>
    public static double[] Plain(int headDim, double theta) =>
        Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();

    // Llama 3.1: long wavelengths (> original / low_freq_factor) are divided by the factor, short ones
    // (< original / high_freq_factor) kept, and the band between blended linearly in original / wavelength.
    private static double[] Llama3(double[] plain, RopeScaling s)
    {
        double original = s.OriginalMaxPositions!.Value;
        double lowWavelength = original / s.LowFreqFactor, highWavelength = original / s.HighFreqFactor;
        var result = new double[plain.Length];
        for (var i = 0; i < plain.Length; i++)
        {
            var wavelength = 2 * Math.PI / plain[i];
            if (wavelength < highWavelength)
                result[i] = plain[i];
            else if (wavelength > lowWavelength)
                result[i] = plain[i] / s.Factor;
            else
            {
                var smooth = (original / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                result[i] = (1 - smooth) * plain[i] / s.Factor + smooth * plain[i];
            }
        }
        return result;
    }

    // YaRN: per dimension, a ramp between interpolated (÷ factor) and extrapolated (plain) frequencies over the
    // correction range [low, high] found from beta_fast / beta_slow rotations; cos and sin scaled by the attention factor.
    private static (double[], double) Yarn(int headDim, double theta, int maxPositions, RopeScaling s)
    {
        var factor = s.Factor;
        double original = maxPositions;
        if (s.OriginalMaxPositions is { } pretrained)
        {
            // As transformers does: with an explicit pre-training length the factor is the ratio of the two lengths.
            original = pretrained;
            factor = (double)maxPositions / pretrained;
        }
        static double MScale(double scale, double m) => scale <= 1 ? 1.0 : 0.1 * m * Math.Log(scale) + 1.0;
        var attention = s.AttentionFactor
            ?? (s.Mscale is { } m && m != 0 && s.MscaleAllDim is { } all && all != 0 ? MScale(factor, m) / MScale(factor, all) : MScale(factor, 1));

        double CorrectionDim(double rotations) => headDim * Math.Log(original / (rotations * 2 * Math.PI)) / (2 * Math.Log(theta));
        double low = CorrectionDim(s.BetaFast), high = CorrectionDim(s.BetaSlow);
        if (s.Truncate)
        {
            low = Math.Floor(low);
            high = Math.Ceiling(high);
        }
        low = Math.Max(low, 0);
        high = Math.Min(high, headDim - 1);
        if (low == high)
            high += 0.001;

        var plain = Plain(headDim, theta);
        var result = new double[plain.Length];
        for (var i = 0; i < plain.Length; i++)
        {
            var ramp = Math.Clamp((i - low) / (high - low), 0, 1);
            var extrapolation = 1 - ramp;
            result[i] = plain[i] / factor * (1 - extrapolation) + plain[i] * extrapolation;
        }
        return (result, attention);
    }
}
