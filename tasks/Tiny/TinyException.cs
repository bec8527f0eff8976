namespace AscendAio.Tasks.Tiny;

/// <summary>A Tiny program failed to parse or to run; <see cref="Line"/> is 1-based (0 when unknown).</summary>
public sealed class TinyException(string message, int line) : Exception(line > 0 ? $"line {line}: {message}" : message)
{
    public int Line { get; } = line;
}
