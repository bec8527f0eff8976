using System.Globalization;
using System.Text.RegularExpressions;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio demo` and `aio profile` around it: the smoke run's numbers, then the profile of exactly those calls.</summary>
public sealed partial class DemoCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-demo");

    public void Dispose() => TempDirectory.Delete(_root);

    [GeneratedRegex(@"max \|device − host\| = (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex MaxError();

    [GeneratedRegex(@"^\s+\S+/trivial\.onnx\s+(\d+)\s", RegexOptions.Multiline)]
    private static partial Regex TrivialGraphCalls();

    [Fact]
    public void Demo_ExecutesTheGraphMatchingTheHost_AndReleasesEveryByte()
    {
        var (exit, stdout, stderr) = AioConsole.Run("demo", "--iterations", "10");

        Assert.True(exit == 0, stderr + stdout);
        Assert.InRange(double.Parse(MaxError().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture), 0, 1e-4);
        Assert.Contains("MatMul+Add graph: median", stdout);
        Assert.Contains(" over 10 calls", stdout);
        Assert.Contains("(back to the starting value)", stdout);
    }

    [Fact]
    public void Profile_OfDemo_CountsEveryExecuteOfTheTimedGraph()
    {
        var dir = Path.Combine(_root, "profile");

        var (exit, stdout, stderr) = AioConsole.Run("profile", "--out", dir, "--top", "5", "--", "demo", "--iterations", "10");

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains($"profile: {dir}{Path.DirectorySeparatorChar}", stdout);
        Assert.Contains("graph (aclmdlExecute)", stdout);
        // The demo runs the 1-element graph 100 times to warm up, then --iterations times timed.
        Assert.Equal(110, int.Parse(TrivialGraphCalls().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
