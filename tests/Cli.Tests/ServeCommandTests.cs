using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AscendAio.Cli.Tests;

/// <summary>
/// `aio serve` as a user runs it: the built aio in its own process on a free loopback port (port 0), the served names
/// from the configuration and a --section:key=value override, /health answering, and SIGTERM stopping it with exit
/// code 0. (The host's behaviour itself is tests/Host.Tests'; this checks the command around it.)
/// </summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TinyPair _pair = new("cli-serve");

    public void Dispose() => _pair.Dispose();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task Serve_OnPortZero_AnswersHealthWithTheConfiguredNames_AndStopsOnSigterm()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _pair.Root,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "aio.dll"), "serve", "--config", _pair.Config, "--urls", "http://127.0.0.1:0", "--models:largeName=acme-ultra" })
            start.ArgumentList.Add(arg);
        using var aio = Process.Start(start)!;
        var stdout = new List<string>();
        var stderr = aio.StandardError.ReadToEndAsync();
        try
        {
            var url = await ListeningUrlAsync(aio, stdout);
            using var http = new HttpClient { Timeout = Patience };
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(url + "/health")));

            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            Assert.Equal(["aio", TinyPair.SmallName, "acme-ultra"], health.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetString()));

            using (var kill = Process.Start("kill", ["-TERM", aio.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            var rest = aio.StandardOutput.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(Patience);
            await aio.WaitForExitAsync(cancel.Token);
            Assert.True(aio.ExitCode == 0, await stderr);
            Assert.Contains("stopped; device memory in use", await rest);
        }
        finally
        {
            if (!aio.HasExited)
                aio.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Reads stdout until Kestrel says where it listens (the port it picked for port 0).</summary>
    private static async Task<string> ListeningUrlAsync(Process aio, List<string> lines)
    {
        using var cancel = new CancellationTokenSource(Patience);
        while (await aio.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            lines.Add(line);
            if (Listening().Match(line) is { Success: true } match)
                return match.Groups[1].Value;
        }
        throw new InvalidOperationException($"aio serve exited ({aio.ExitCode}) before listening:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
    }
}
