namespace AscendAio.Engine.Generation;

/// <summary>How tokens are produced after the prompt. Typed options, one record per strategy.</summary>
public abstract record DecodingStrategy
{
    /// <summary>One forward pass per token: greedy, or sampled when the options ask for a temperature.</summary>
    public static readonly DecodingStrategy Plain = new PlainDecoding();

    public abstract string Name { get; }
}

/// <summary>One token per forward pass.</summary>
public sealed record PlainDecoding : DecodingStrategy
{
    public override string Name => "plain";
}

/// <summary>
/// Prompt-lookup decoding: the longest suffix n-gram (n ≤ <see cref="MaxNgram"/>) of the tokens so far is looked up
/// earlier in the prompt and output; the <see cref="LookAhead"/> tokens that followed it are proposed as drafts and
/// checked in one verify call. Greedy only; the output equals <see cref="PlainDecoding"/>'s.
/// </summary>
public sealed record PromptLookupDecoding(int MaxNgram = 6, int LookAhead = 2) : DecodingStrategy
{
    public override string Name => "pld";
}

/// <summary>Draft-model speculation: the small model drafts <see cref="DraftTokens"/> tokens, the large one verifies them.</summary>
public sealed record DraftSpeculativeDecoding(int DraftTokens = 4) : DecodingStrategy
{
    public override string Name => "draft";
}
