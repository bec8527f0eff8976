namespace AscendAio.Host.Tests;

/// <summary>
/// Bounded waits for state the server reaches a moment after a client sees its response (a cache handed back, a
/// request counted, a request queued). After 500 polls the caller's assertions report whatever is still missing.
/// </summary>
internal static class Eventually
{
    private const int Polls = 500;

    public static async Task WaitAsync(Func<bool> done, int pollMilliseconds = 10)
    {
        for (var i = 0; i < Polls && !done(); i++)
            await Task.Delay(pollMilliseconds);
    }

    public static async Task WaitAsync(Func<Task<bool>> done, int pollMilliseconds = 10)
    {
        for (var i = 0; i < Polls && !await done(); i++)
            await Task.Delay(pollMilliseconds);
    }
}
