using System.Globalization;
using AscendAio.Engine.Generation;
using AscendAio.Router.Policies;

namespace AscendAio.Router.Calibration;

/// <summary>A model and a decoding strategy: what a decision runs, and what calibration measures per request.</summary>
public readonly record struct RouteTarget(ModelRole Model, DecodingStrategy Strategy)
{
    public static RouteTarget Of(RouteDecision decision) => new(decision.Model, decision.Strategy);

    /// <summary>"large/pld:6:2": the role, not a model name, so samples stay valid whatever the models are called.</summary>
    public override string ToString() => $"{Model.RoleName()}/{StrategyText.Format(Strategy)}";

    public static RouteTarget Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || ModelRoles.TryParse(text[..slash]) is not { } model)
            throw new FormatException($"'{text}' is not a route target (model/strategy, e.g. large/pld:6:2)");
        return new RouteTarget(model, StrategyText.Parse(text[(slash + 1)..]));
    }
}

/// <summary>Compact strategy text for sample files and command lines: plain | pld:N:L | draft:K.</summary>
public static class StrategyText
{
    public static string Format(DecodingStrategy strategy) => strategy switch
    {
        PromptLookupDecoding p => $"pld:{p.MaxNgram}:{p.LookAhead}",
        DraftSpeculativeDecoding d => $"draft:{d.DraftTokens}",
        _ => "plain",
    };

    public static DecodingStrategy Parse(string text)
    {
        var parts = text.Trim().Split(':');
        int Arg(int i, int fallback) => parts.Length <= i ? fallback
            : int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
            : throw new FormatException($"strategy '{text}': '{parts[i]}' is not a positive integer");
        return parts[0] switch
        {
            "plain" when parts.Length == 1 => DecodingStrategy.Plain,
            "pld" when parts.Length <= 3 => new PromptLookupDecoding(Arg(1, PolicyOptions.DefaultPld.MaxNgram), Arg(2, PolicyOptions.DefaultPld.LookAhead)),
            "draft" when parts.Length <= 2 => new DraftSpeculativeDecoding(Arg(1, 4)),
            _ => throw new FormatException($"unknown strategy '{text}' (plain | pld[:N[:L]] | draft[:K])"),
        };
    }
}
