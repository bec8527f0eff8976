namespace AscendAio.Tasks.Formats;

/// <summary>A bad row in a task file; the message names the file, the 1-based line and the problem.</summary>
public sealed class TaskFormatException(string path, int line, string problem)
    : Exception($"{path}:{line}: {problem}")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}
