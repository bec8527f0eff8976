using System.Text.Json;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio calibrate`: usage errors exit 2 before any model loads; one calibration on tiny random-weight stand-ins.</summary>
public sealed class CalibrateCommandTests
{
    [Theory]
    [InlineData(new[] { "--repetitions", "3" }, "--repetitions must be an integer in [5, 2147483647], got '3'")]
    [InlineData(new[] { "--objective", "speed" }, "--objective must be 'throughput' or 'accuracy'; got 'speed'")]
    [InlineData(new[] { "--accuracy-floor", "1.5" }, "--accuracy-floor must be a number in [0, 1], got '1.5'")]
    [InlineData(new[] { "--accuracy-floor", "0.5", "--accuracy-margin", "0.1" }, "give --accuracy-floor or --accuracy-margin, not both")]
    [InlineData(new[] { "--objective", "accuracy", "--accuracy-margin", "0.1" }, "--accuracy-floor and --accuracy-margin are for --objective throughput")]
    [InlineData(new[] { "--tps-floor", "100" }, "--tps-floor is for --objective accuracy")]
    [InlineData(new[] { "--max-new-tokens", "0" }, "--max-new-tokens")]
    [InlineData(new[] { "--strategies" }, "--strategies")]
    public void UsageErrors_NameTheProblem_AndExit2(string[] args, string message)
    {
        var (exit, stdout, stderr) = AioConsole.Run(["calibrate", .. args]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("aio calibrate: ", stderr);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Help_IsGeneratedFromTheDeclaredOptions()
    {
        var (exit, stdout, _) = AioConsole.Run("calibrate", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--config", "--small", "--large", "--seed", "--limit", "--max-new-tokens", "--repetitions", "--json", "--objective" })
            Assert.Contains(option, stdout);
    }

    [Fact]
    public void Calibrate_OnTinyStandIns_TimesEveryRouteInRepetitions_AndSwitchesPldOnlyOnASignificantGain()
    {
        var root = TempDirectory.Create("cli-calibrate");
        try
        {
            var small = ChatStandIn.Export(root, "qwen3", "small", seed: 61);
            var large = ChatStandIn.Export(root, "llama3_1", "large", hidden: 32, seed: 62);
            var policy = Path.Combine(root, "policy.json");
            var json = Path.Combine(root, "report.json");

            var (exit, stdout, stderr) = AioConsole.Run("calibrate", "--small", small, "--large", large, "--limit", "3", "--holdout", "0",
                "--max-new-tokens", "4", "--repetitions", "5", "--out", policy, "--json", json);

            Assert.True(exit == 0, stderr);
            Assert.Contains("each target timed 5 times per request", stdout);
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            var root0 = report.RootElement;
            Assert.Equal(5, root0.GetProperty("measurement").GetProperty("repetitions").GetInt32());
            var speeds = root0.GetProperty("route_speeds").EnumerateArray().ToList();
            Assert.NotEmpty(speeds);
            Assert.All(speeds, s => Assert.Equal(5, s.GetProperty("repetitions").GetInt32()));
            // The rule, as written into the report: PLD is on exactly where the gain's interval lies above 1.
            var strategies = root0.GetProperty("strategies").EnumerateArray().ToList();
            Assert.Equal(4, strategies.Count); // code on small and on large (fallback), math and qa on large
            foreach (var s in strategies)
            {
                var gain = s.GetProperty("gain");
                var significant = gain.ValueKind == JsonValueKind.Object && gain.GetProperty("low").GetDouble() > 1;
                Assert.Equal(significant, s.GetProperty("pld").GetBoolean());
            }
            using var written = JsonDocument.Parse(File.ReadAllText(policy));
            var recorded = written.RootElement.GetProperty("calibration");
            Assert.Equal(3, recorded.GetProperty("samples").GetInt32());
            Assert.Equal(5, recorded.GetProperty("repetitions").GetInt32());
            foreach (var s in recorded.GetProperty("strategies").EnumerateArray().Where(s => !s.GetProperty("on_fallback").GetBoolean()))
            {
                var strategy = written.RootElement.GetProperty("categories").GetProperty(s.GetProperty("category").GetString()!).GetProperty("strategy").GetProperty("kind").GetString();
                Assert.Equal(s.GetProperty("pld").GetBoolean() ? "pld" : "plain", strategy);
            }
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }
}
