namespace AscendAio.Engine.Generation;

/// <summary>What one request cost, as measured while it ran.</summary>
public sealed record GenerationMetrics
{
    public int PromptTokens { get; init; }
    public int GeneratedTokens { get; init; }
    public double PrefillMs { get; init; }
    public double DecodeMs { get; init; }

    /// <summary>Forward passes of the generating model (prefill chunks included).</summary>
    public int ForwardPasses { get; init; }

    /// <summary>Forward passes of the draft model (draft speculation only).</summary>
    public int DraftForwardPasses { get; init; }

    public int DraftTokensProposed { get; init; }
    public int DraftTokensAccepted { get; init; }

    /// <summary>Weight bytes read from device memory: weights × forward passes, per model, summed.</summary>
    public long WeightBytesStreamed { get; init; }

    /// <summary>Generated tokens per second of decode time (the first token, produced by prefill, excluded).</summary>
    public double DecodeTokensPerSecond => DecodeMs > 0 ? Math.Max(0, GeneratedTokens - 1) / (DecodeMs / 1000) : 0;

    /// <summary>Generated tokens per second of prefill + decode time.</summary>
    public double TokensPerSecond => PrefillMs + DecodeMs > 0 ? GeneratedTokens / ((PrefillMs + DecodeMs) / 1000) : 0;

    public double AcceptanceRate => DraftTokensProposed > 0 ? (double)DraftTokensAccepted / DraftTokensProposed : 0;
}

/// <summary>Why generation stopped.</summary>
public enum FinishReason
{
    /// <summary>The model produced its end-of-sequence token.</summary>
    EndOfSequence,

    /// <summary>A stop string appeared.</summary>
    Stop,

    /// <summary>max_new_tokens was reached, or the context is full.</summary>
    Length,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}
