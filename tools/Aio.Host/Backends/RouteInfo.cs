using System.Globalization;

namespace AscendAio.Host.Backends;

/// <summary>
/// Which model and strategy served a request, and why: the router's decision for "aio", or the pinned model.
/// <see cref="Category"/> and <see cref="Entropy"/> come from the probe and are null when no probe ran.
/// </summary>
public sealed record RouteInfo(string Model, string Role, string Strategy, string? Category, double? Entropy, string Reason, double ProbeMs = 0)
{
    public const string HeaderName = "X-Aio-Route";

    /// <summary>The response header value, e.g. "model=qwen2.5-1.5b; role=small; strategy=plain; category=code; entropy=0.1234".</summary>
    public string ToHeaderValue() =>
        $"model={Model}; role={Role}; strategy={Strategy}; category={Category ?? "none"}; entropy={(Entropy is { } e ? e.ToString("F4", CultureInfo.InvariantCulture) : "none")}";
}
