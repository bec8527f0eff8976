using AscendAio.Evaluation;

namespace AscendAio.Cli;

/// <summary>A one-line progress bar on a terminal; on a redirected stream, a line per completed unit of work.</summary>
internal sealed class ProgressBar(TextWriter writer)
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly DateTime _started = DateTime.UtcNow;
    private int _lastDone = -1;

    public void Report(BenchProgress p)
    {
        if (_interactive)
        {
            const int width = 30;
            var filled = p.Total == 0 ? 0 : p.Done * width / p.Total;
            var line = $"\r[{new string('#', filled)}{new string('.', width - filled)}] {p.Done}/{p.Total} {Elapsed()} {p.Detail}";
            writer.Write(line.Length > 119 ? line[..119] : line.PadRight(119));
        }
        else if (p.Done != _lastDone)
        {
            writer.WriteLine($"[{p.Done}/{p.Total} {Elapsed()}] {p.Detail}");
        }
        _lastDone = p.Done;
    }

    public void Finish()
    {
        if (_interactive)
            writer.WriteLine();
    }

    private string Elapsed() => $"{(DateTime.UtcNow - _started).TotalMinutes:F1} min";
}
