namespace AscendAio.Cli.Tests;

/// <summary>
/// Usage errors of bench (mixed, engine, serve), serve, generate, profile, config and calibrate: an unknown option, a
/// missing value and an invalid value each exit 2 with one "aio COMMAND: …" message naming the problem, nothing on
/// stdout, and nothing loaded or run (no configuration or bundle is needed to get them).
/// </summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData(new[] { "bench", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "bench", "--requests" }, "--requests")]
    [InlineData(new[] { "bench", "--requests", "0" }, "--requests must be an integer in [1, 2147483647], got '0'")]
    [InlineData(new[] { "bench", "--warmup", "-1" }, "--warmup must be an integer in [0, 2147483647], got '-1'")]
    [InlineData(new[] { "bench", "--max-tokens", "-3" }, "--max-new-tokens must be an integer in [1, 2147483647], got '-3'")]
    [InlineData(new[] { "bench", "--scenario", "D" }, "--scenario must be A, B, C or all; got 'D'")]
    [InlineData(new[] { "bench", "--configs", "aio,chess" }, "--configs: unknown configuration 'chess' (known: static-small,")]
    [InlineData(new[] { "bench", "engine", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "bench", "engine", "--max-new-tokens", "1" }, "--max-new-tokens must be an integer in [2, 2147483647], got '1'")]
    [InlineData(new[] { "bench", "engine", "--suites", "code,chess" }, "--suites: unknown suite 'chess' (known: code, qa, math, long)")]
    [InlineData(new[] { "bench", "engine", "--load-concurrency", "1,300" }, "--load-concurrency: '300' is not an integer in [1, 256]")]
    [InlineData(new[] { "bench", "engine", "--roofline-window", "8" }, "--roofline-window must be an integer in [16, 2147483647], got '8'")]
    [InlineData(new[] { "bench", "engine" }, "nothing to run: give bundles (--small/--large/...), --random-pair, --roofline or --load")]
    [InlineData(new[] { "bench", "serve", "--rounds", "0" }, "--rounds must be an integer in [1, 2147483647], got '0'")]
    [InlineData(new[] { "bench", "serve", "--limits:maxNewTokens" }, "--limits:maxNewTokens needs a value")]
    [InlineData(new[] { "bench", "serve", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "bench", "storm", "--clients", "0" }, "--clients must be an integer in [1, 2147483647], got '0'")]
    [InlineData(new[] { "bench", "storm", "--seconds", "x" }, "--seconds must be an integer in [1, 2147483647], got 'x'")]
    [InlineData(new[] { "bench", "storm", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "serve", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "serve", "stray" }, "'stray'")]
    [InlineData(new[] { "serve", "--urls" }, "--urls")]
    [InlineData(new[] { "serve", "--limits:concurrentSequences" }, "--limits:concurrentSequences needs a value")]
    [InlineData(new[] { "generate", "--prompt", "hi", "--max-new-tokens", "-1" }, "--max-new-tokens must be an integer in [1, 2147483647], got '-1'")]
    [InlineData(new[] { "generate", "--prompt", "hi", "--max-tokens", "two" }, "--max-new-tokens must be an integer in [1, 2147483647], got 'two'")]
    [InlineData(new[] { "generate", "--prompt", "hi", "--temperature", "3" }, "--temperature must be a number in [0, 2], got '3'")]
    [InlineData(new[] { "generate", "--prompt", "hi", "--top-p", "0" }, "--top-p must be a number in (0, 1], got '0'")]
    [InlineData(new[] { "generate", "--prompt", "hi", "--strategy", "fast" }, "--strategy must be auto, plain, pld or draft; got 'fast'")]
    [InlineData(new[] { "generate", "--prompt" }, "--prompt")]
    [InlineData(new[] { "generate", "--prompt", "hi", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "profile" }, "'command'")]
    [InlineData(new[] { "profile", "--top", "0", "--", "demo" }, "--top must be an integer in [1, 2147483647], got '0'")]
    [InlineData(new[] { "profile", "--aic-metrics", "Everything", "--", "demo" }, "unknown AI Core metrics 'Everything'; one of ArithmeticUtilization, PipeUtilization,")]
    [InlineData(new[] { "profile", "--", "profile", "--", "demo" }, "profile cannot profile itself")]
    [InlineData(new[] { "profile", "--frobnicate", "--", "demo" }, "expected an aio command to profile (after --), got '--frobnicate'")]
    [InlineData(new[] { "config" }, "expected 'check' (aio config check [--config FILE] [--deep] [--section:key=value ...])")]
    [InlineData(new[] { "config", "check", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "config", "check", "--config" }, "--config")]
    [InlineData(new[] { "config", "check", "--limits:maxNewTokens" }, "--limits:maxNewTokens needs a value")]
    [InlineData(new[] { "calibrate", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "calibrate", "--max-new-tokens" }, "--max-new-tokens")]
    [InlineData(new[] { "calibrate", "stray" }, "'stray'")]
    public void UsageError_NamesTheProblem_AndExits2(string[] args, string message)
    {
        var (exit, stdout, stderr) = AioConsole.Run(args);

        Assert.True(exit == 2, $"exit {exit}: {stderr}");
        Assert.Equal("", stdout);
        Assert.StartsWith($"aio {args[0]}: ", stderr);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData(new[] { "bench", "engine", "--help" }, "aio bench engine [options]", "--roofline-window")]
    [InlineData(new[] { "bench", "serve", "--help" }, "aio bench serve [options]", "--section:key <value>")]
    [InlineData(new[] { "bench", "storm", "--help" }, "aio bench storm [options]", "--clients <N>")]
    [InlineData(new[] { "bench", "--help" }, "aio bench [command] [options]", "--max-new-tokens, --max-tokens <N>")]
    [InlineData(new[] { "config", "check", "--help" }, "aio config check [options]", "--section:key <value>")]
    [InlineData(new[] { "serve", "--help" }, "aio serve [options]", "override a configuration key, e.g. --limits:maxNewTokens=64")]
    [InlineData(new[] { "generate", "--help" }, "aio generate [options]", "--json <FILE>")]
    [InlineData(new[] { "profile", "--help" }, "aio profile <command>... [options]", "--aic-metrics <NAME>")]
    public void Subcommands_HaveGeneratedHelp_ListingTheirOwnOptions(string[] args, string usage, string option)
    {
        var (exit, stdout, stderr) = AioConsole.Run(args);

        Assert.True(exit == 0, stderr);
        Assert.Contains(usage, stdout);
        Assert.Contains(option, stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Overrides_AreOnlyTakenByTheCommandsThatReadTheConfiguration()
    {
        var (exit, _, stderr) = AioConsole.Run("eval", "--model", "m", "--suite", "code", "--limits:maxNewTokens=5");

        Assert.Equal(2, exit);
        Assert.Contains("--limits:maxNewTokens=5", stderr);
    }
}
