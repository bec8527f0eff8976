using System.Net.Sockets;
using System.Text;

namespace AscendAio.Host.Tests;

/// <summary>
/// A bare TCP client for what HttpClient will not send: invalid UTF-8 bodies, a body that stalls, a body cut off by a
/// closed connection, headers that promise more than is sent.
/// </summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public static async Task<RawHttp> ConnectAsync(string baseUrl)
    {
        var uri = new Uri(baseUrl);
        var raw = new RawHttp();
        await raw._tcp.ConnectAsync(uri.Host, uri.Port);
        raw._stream = raw._tcp.GetStream();
        return raw;
    }

    /// <summary>Sends a POST's headers with <paramref name="contentLength"/> and then <paramref name="body"/> (possibly fewer bytes).</summary>
    public async Task SendPostAsync(string path, long contentLength, byte[] body)
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await _stream.WriteAsync(body);
        await _stream.FlushAsync();
    }

    /// <summary>Reads the response's status code and body (Content-Length framed) or null when the server closed without one.</summary>
    public async Task<(int Status, string Body)?> ReadResponseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var text = Encoding.UTF8.GetString(buffer.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var headers = text[..end].Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                        .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                    var rest = text[(end + 4)..];
                    var status = int.Parse(text.Split(' ')[1]);
                    if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        if (rest.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
                            return (status, Dechunk(rest));
                    }
                    else if (Encoding.UTF8.GetByteCount(rest) >= (headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0))
                    {
                        return (status, rest);
                    }
                }
                var read = await _stream.ReadAsync(chunk, cancel.Token);
                if (read == 0)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..line], 16);
            if (size == 0)
                return result.ToString();
            // Sizes count bytes; the bodies here are ASCII JSON.
            result.Append(body, line + 2, size);
            at = line + 2 + size + 2;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
