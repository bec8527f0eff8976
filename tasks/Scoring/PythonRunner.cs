using System.Diagnostics;

namespace AscendAio.Tasks.Scoring;

/// <summary>
/// Runs HumanEval checks with a user-supplied Python interpreter: prompt + completion + test +
/// check(entry_point) in a child process; the item passes when the process exits 0 in time.
/// </summary>
public sealed class PythonRunner
{
    private readonly string _interpreter;
    private readonly TimeSpan _timeout;

    public PythonRunner(string interpreter, TimeSpan? timeout = null)
    {
        if (string.IsNullOrWhiteSpace(interpreter))
            throw new ArgumentException("a Python interpreter path is required", nameof(interpreter));
        _interpreter = interpreter;
        _timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public bool Passes(TaskItem item, string completion)
    {
        var s = item.Scorer;
        if (s.Prompt is null || s.Test is null || s.EntryPoint is null)
            throw new InvalidOperationException($"item '{item.Id}' lacks prompt/test/entry_point for python-exec");
        string program = s.Prompt + completion + "\n\n" + s.Test + $"\n\ncheck({s.EntryPoint})\n";
        var psi = new ProcessStartInfo(_interpreter, "-")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"could not start Python interpreter '{_interpreter}'");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(program);
        process.StandardInput.Close();
        if (!process.WaitForExit(_timeout))
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
        Task.WaitAll(stdout, stderr);
        return process.ExitCode == 0;
    }
}
