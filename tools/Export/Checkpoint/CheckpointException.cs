namespace AscendAio.Export.Checkpoint;

/// <summary>
/// A checkpoint the exporter cannot use: malformed files, an unsupported architecture, a missing tensor or a
/// shape mismatch. The message names the file and the tensor or field; <see cref="Subject"/> repeats the name.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string file, string? subject, string message, Exception? inner = null)
        : base(subject is null ? $"{file}: {message}" : $"{file}: '{subject}': {message}", inner)
    {
        File = file;
        Subject = subject;
    }

    /// <summary>The file at fault (config.json, a .safetensors file, ...).</summary>
    public string File { get; }

    /// <summary>The tensor or config field at fault, when there is one.</summary>
    public string? Subject { get; }
}
