using AscendAio.Engine.Models;

namespace AscendAio.Router.Probing;

/// <summary>
/// A finished probe: its result, the tokens it processed, and (when kept) its sequence, whose KV cache
/// holds those tokens. Dispose releases the sequence unless <see cref="TakeReusablePrefix"/> handed it on.
/// </summary>
public sealed class ProbeRun(ProbeResult result, int[] tokens, Sequence? sequence) : IDisposable
{
    private Sequence? _sequence = sequence;

    public ProbeResult Result { get; } = result;

    /// <summary>The probe prompt's tokens.</summary>
    public int[] Tokens { get; } = tokens;

    public bool HasSequence => _sequence is not null;

    /// <summary>
    /// Hands over the probe's sequence truncated to the longest common prefix of the probe tokens and
    /// <paramref name="prompt"/> (for the reference templates: &lt;|bos|&gt; + the request), or null when
    /// there is none to give (not kept, truncated probe, or no strict shared prefix).
    /// </summary>
    public Sequence? TakeReusablePrefix(ReadOnlySpan<int> prompt)
    {
        var sequence = Interlocked.Exchange(ref _sequence, null);
        if (sequence is null)
            return null;
        var shared = Tokens.AsSpan().CommonPrefixLength(prompt);
        // The engine prefills what is left; it needs at least one token of its own (and so does the cache: strict prefix).
        shared = Math.Min(shared, prompt.Length - 1);
        if (shared < 1)
        {
            sequence.Dispose();
            return null;
        }
        sequence.Truncate(shared);
        return sequence;
    }

    public void Dispose() => Interlocked.Exchange(ref _sequence, null)?.Dispose();
}
