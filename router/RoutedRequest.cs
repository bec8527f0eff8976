using AscendAio.Engine.Models;
using AscendAio.Router.Policies;
using AscendAio.Router.Probing;

namespace AscendAio.Router;

/// <summary>
/// A routed request ready to generate: the decision, the chosen model's prompt tokens, and (routed to the small
/// model with reuse on) the probe's sequence truncated to the shared prefix. Dispose releases that sequence if
/// no generation took it.
/// </summary>
public sealed class RoutedRequest : IDisposable
{
    private Sequence? _reusable;

    internal RoutedRequest(string requestText, RouteDecision decision, int[] promptTokens, ProbeResult? probe, Sequence? reusable,
        double promptMs, double switchMs)
    {
        RequestText = requestText;
        Decision = decision;
        PromptTokens = promptTokens;
        Probe = probe;
        _reusable = reusable;
        ReusablePrefixTokens = reusable?.Length ?? 0;
        PromptMs = promptMs;
        SwitchMs = switchMs;
    }

    public string RequestText { get; }

    public RouteDecision Decision { get; }

    /// <summary>The context length the policy saw: generation prompt tokens with the small model's template and tokenizer.</summary>
    public int ContextTokens { get; init; }

    /// <summary>The generation prompt for the chosen model (its template applied).</summary>
    public int[] PromptTokens { get; }

    public ProbeResult? Probe { get; }

    /// <summary>Prompt tokens already in the reusable probe cache (0 = none).</summary>
    public int ReusablePrefixTokens { get; }

    /// <summary>The probe's sequence holding the prompt's first <see cref="ReusablePrefixTokens"/> tokens, until taken.</summary>
    public Sequence? ReusablePrefix => _reusable;

    /// <summary>Applying the generation template and tokenizing (a cost every policy pays; not routing overhead).</summary>
    public double PromptMs { get; }

    /// <summary>The adaptive-PLD arm picked for this request (true = PLD); null when the tracker was not asked.</summary>
    internal bool? TrackedArm { get; init; }

    /// <summary>Model-switch work done while routing (truncating or releasing the probe's cache).</summary>
    internal double SwitchMs { get; }

    /// <summary>Takes ownership of the reusable sequence (null if none or already taken).</summary>
    public Sequence? TakeReusablePrefix() => Interlocked.Exchange(ref _reusable, null);

    public void Dispose() => TakeReusablePrefix()?.Dispose();
}
