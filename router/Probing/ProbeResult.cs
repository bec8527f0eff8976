namespace AscendAio.Router.Probing;

/// <summary>What one probe pass found, and what it cost.</summary>
public sealed record ProbeResult
{
    public required CategoryDistribution Distribution { get; init; }

    /// <summary>Tokens of the probe prompt the small model processed.</summary>
    public required int ProbeTokens { get; init; }

    /// <summary>The request did not fit the small model's context: the probe saw the template head and the request's tail.</summary>
    public required bool Truncated { get; init; }

    /// <summary>Applying the probe template and tokenizing it.</summary>
    public required double TemplateMs { get; init; }

    /// <summary>The small model's forward pass over the probe prompt (KV cache rent included), up to the logits on the host.</summary>
    public required double PrefillMs { get; init; }

    public string Category => Distribution.Top;

    public double Entropy => Distribution.Entropy;
}
