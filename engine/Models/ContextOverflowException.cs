namespace AscendAio.Engine.Models;

/// <summary>A prompt (plus what must follow it) does not fit the model's context; raised before any device work.</summary>
public sealed class ContextOverflowException(string model, int tokens, int limit)
    : Exception($"{model}: {tokens} tokens do not fit the context of {limit} positions")
{
    public string Model { get; } = model;

    public int Tokens { get; } = tokens;

    public int Limit { get; } = limit;
}
