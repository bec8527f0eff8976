using System.Globalization;
using AscendAio.Host.Backends;

namespace AscendAio.Host.OpenAi;

/// <summary>
/// OpenAI's presence_penalty and frequency_penalty ([-2, 2], default 0) and logit_bias (an object mapping token ids,
/// written as strings, to values in [-100, 100]) onto a <see cref="CompletionRequest"/>; each problem a 400 naming the field.
/// Token ids are checked against the model's vocabulary when the backend prepares the request.
/// </summary>
internal static class PenaltyParameters
{
    public static CompletionRequest Apply(CompletionRequest request, double? presence, double? frequency, Dictionary<string, double>? logitBias) =>
        request with
        {
            PresencePenalty = Penalty(presence, "presence_penalty"),
            FrequencyPenalty = Penalty(frequency, "frequency_penalty"),
            LogitBias = Bias(logitBias),
        };

    private static double Penalty(double? value, string param) =>
        value is not { } v ? 0 : double.IsFinite(v) && v is >= -2 and <= 2 ? v
            : throw new CompletionRequestException($"'{param}' must be in [-2, 2], got {v}", param);

    private static Dictionary<int, double> Bias(Dictionary<string, double>? bias)
    {
        var result = new Dictionary<int, double>();
        foreach (var (key, value) in bias ?? [])
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var token))
                throw new CompletionRequestException($"'logit_bias' keys must be token ids (non-negative integers), got '{key}'", "logit_bias");
            if (!double.IsFinite(value) || value is < -100 or > 100)
                throw new CompletionRequestException($"'logit_bias' values must be in [-100, 100], got {value} for token {token}", "logit_bias");
            result[token] = value;
        }
        return result;
    }
}
