using AscendAio.Host.Configuration;
using AscendAio.TestSupport;

namespace AscendAio.Host.Tests;

/// <summary>Reading aio.json with environment and command-line layers; every error is reported with its key and source.</summary>
[Collection(HostCollection.Name)]
public sealed class ConfigurationTests(HostFixture fixture) : IDisposable
{
    private readonly string _dir = TempDirectory.Create("host-config");

    [Fact]
    public void ValidFile_ReadsEverySection_WithPathsRelativeToTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "policy.json"), """{ "policy": "aio", "tau": 0.3 }""");
        var file = Write($$"""
            {
              "device": { "id": 0 },
              "models": { "small": "{{Escape(fixture.SmallBundle)}}", "large": "{{Escape(fixture.LargeBundle)}}" },
              "policy": "policy.json",
              "limits": { "maxPromptTokens": 100, "maxNewTokens": 32, "queueLength": 8, "concurrentSequences": 2, "shutdownGraceSeconds": 1.5 },
              "server": { "urls": "http://127.0.0.1:9123", "apiKeys": ["sk-a", "sk-b"] }
            }
            """);

        var report = AioConfiguration.Read(file, includeEnvironment: false);

        Assert.Empty(report.Errors);
        var o = report.OptionsOrThrow();
        Assert.Equal(fixture.SmallBundle, o.Models.Small);
        Assert.Equal(Path.Combine(_dir, "policy.json"), o.Policy);
        Assert.Equal(new LimitOptions { MaxPromptTokens = 100, MaxNewTokens = 32, QueueLength = 8, ConcurrentSequences = 2, ShutdownGraceSeconds = 1.5 }, o.Limits);
        Assert.Equal("http://127.0.0.1:9123", o.Server.Urls);
        Assert.Equal(["sk-a", "sk-b"], o.Server.ApiKeys);
    }

    [Fact]
    public void EveryProblem_IsReportedWithItsKeyAndSource()
    {
        var file = Write("""
            {
              "models": { "small": "no-such-bundle" },
              "limits": { "maxNewToken": 5, "queueLength": "many", "concurrentSequences": 0 },
              "server": { "urls": "ftp://example", "apiKeys": [""] }
            }
            """);

        var report = AioConfiguration.Read(file, includeEnvironment: false);

        Assert.False(report.IsValid);
        Assert.Null(report.Options);
        string Message(string key) => Assert.Single(report.Errors, e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Message;
        Assert.Contains("did you mean 'limits:maxNewTokens'", Message("limits:maxNewToken"));
        Assert.Contains("'many' is not an integer", Message("limits:queueLength"));
        Assert.Contains("out of range [1, 1024]", Message("limits:concurrentSequences"));
        Assert.Contains("does not exist", Message("models:small"));
        Assert.Contains("not an http:// or https:// URL", Message("server:urls"));
        Assert.Contains("must not be empty", Message("server:apiKeys:0"));
        Assert.All(report.Errors, e => Assert.Equal(file, e.Source));
        var thrown = Assert.Throws<AioConfigException>(() => report.OptionsOrThrow());
        Assert.Equal(report.Errors.Count, thrown.Errors.Count);
    }

    [Fact]
    public void PolicyFileWithAnUnknownPolicy_IsAnErrorOnThePolicyKey()
    {
        File.WriteAllText(Path.Combine(_dir, "bad-policy.json"), """{ "policy": "always-small" }""");
        var file = Write($$"""{ "models": { "small": "{{Escape(fixture.SmallBundle)}}", "large": "{{Escape(fixture.LargeBundle)}}" }, "policy": "bad-policy.json" }""");

        var report = AioConfiguration.Read(file, includeEnvironment: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal("policy", error.Key);
        Assert.Contains("unknown policy 'always-small'", error.Message);
    }

    [Fact]
    public void CommandLineOverride_BeatsTheFile_AndIsNamedAsTheSource()
    {
        var file = Write($$"""{ "models": { "small": "{{Escape(fixture.SmallBundle)}}", "large": "{{Escape(fixture.LargeBundle)}}" }, "limits": { "maxNewTokens": 32 } }""");
        var (overrides, rest) = AioConfiguration.SplitOverrides(["--limits:maxNewTokens=48", "--prompt", "hi", "--limits:queueLength", "-3"]);

        var report = AioConfiguration.Read(file, overrides, includeEnvironment: false);

        Assert.Equal(["--prompt", "hi"], rest);
        var error = Assert.Single(report.Errors);
        Assert.Equal("limits:queueLength", error.Key);
        Assert.Equal("command line --limits:queueLength", error.Source);
        var fixedReport = AioConfiguration.Read(file, overrides.Take(1), includeEnvironment: false);
        Assert.Equal(48, fixedReport.OptionsOrThrow().Limits.MaxNewTokens);
    }

    [Fact]
    public void MissingOrBrokenFile_IsOneClearError()
    {
        var missing = AioConfiguration.Read(Path.Combine(_dir, "nope.json"), includeEnvironment: false);
        var broken = AioConfiguration.Read(Write("{ \"limits\": { "), includeEnvironment: false);

        Assert.Contains("does not exist", Assert.Single(missing.Errors).Message);
        Assert.Contains("not valid JSON", Assert.Single(broken.Errors).Message);
    }

    [Fact]
    public void NonLoopbackUrlWithAnEmptyKeyList_IsAWarning()
    {
        var file = Write($$"""{ "models": { "small": "{{Escape(fixture.SmallBundle)}}", "large": "{{Escape(fixture.LargeBundle)}}" }, "server": { "urls": "http://0.0.0.0:8080", "apiKeys": [] } }""");

        var report = AioConfiguration.Read(file, includeEnvironment: false);

        Assert.True(report.IsValid);
        Assert.Empty(report.Options!.Server.ApiKeys);
        Assert.Contains("no server:apiKeys", Assert.Single(report.Warnings).Message);
    }

    [Fact]
    public void KnownKeys_AreTheOptionsTypesBindableProperties()
    {
        var file = Write("""{ "sourceFile": "x.json", "limits": { "shutdownGraceSecond": 3 } }""");

        var report = AioConfiguration.Read(file, includeEnvironment: false, depth: ConfigCheckDepth.Values);

        // SourceFile is set by the reader (no public setter), so it is not a configuration key.
        Assert.Contains("unknown key", Assert.Single(report.Errors, e => e.Key == "sourceFile").Message);
        var misspelt = Assert.Single(report.Errors, e => e.Key == "limits:shutdownGraceSecond").Message;
        Assert.Contains("did you mean 'limits:shutdownGraceSeconds'", misspelt);
        Assert.Contains("known: device:id, device:aclConfig, models:small, models:large, models:smallName, models:largeName, policy, " +
            "limits:maxPromptTokens, limits:maxRequestBytes, limits:maxNewTokens, limits:queueLength, limits:admissionWaitMs, limits:concurrentSequences, limits:shutdownGraceSeconds, " +
            "server:urls, server:apiKeys)", misspelt);
    }

    [Fact]
    public void RangeAnnotations_AreCheckedThroughIValidateOptions_WithTheirKeys()
    {
        var options = new AioOptions { Device = new DeviceOptions { Id = 64 }, Limits = new LimitOptions { ShutdownGraceSeconds = -1 } };

        var result = new AioOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(["device:id: out of range [0, 63]", "limits:shutdownGraceSeconds: out of range [0, 3600]"], result.Failures);
        Assert.True(new AioOptionsValidator().Validate(null, new AioOptions()).Succeeded);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"aio-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Escape(string path) => path.Replace("\\", "\\\\");

    public void Dispose() => TempDirectory.Delete(_dir);
}
