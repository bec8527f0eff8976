using System.Net;
using System.Text.Json.Nodes;
using AscendAio.Engine.Generation;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.Server;
using AscendAio.TestSupport;

namespace AscendAio.Host.Tests;

/// <summary>
/// The models are served, routed, counted and reported under the names the configuration gives (else their bundles'
/// model_name), never under names written in code; one model alone serves requests naming it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ModelNameTests(HostFixture fixture) : IDisposable
{
    private readonly string _dir = TempDirectory.Create("host-names");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Fact]
    public async Task RoutedRequest_NamesTheConfiguredModelInHeaderBodyAndMetrics()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = "aio", prompt = "def add(a, b):", max_tokens = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = response.Headers.GetValues(RouteInfo.HeaderName).Single();
        var body = await response.ReadObjectAsync();
        var served = (string)body["aio"]!["model"]!;
        Assert.Contains(served, new[] { HostFixture.SmallName, HostFixture.LargeName });
        Assert.StartsWith($"model={served}; role={(served == HostFixture.SmallName ? "small" : "large")};", header);
        var metrics = await server.Client.MetricsOnceAsync($"aio_route_share{{model=\"{served}\"}}");
        PrometheusAssert.HasSample(metrics, $"aio_route_share{{model=\"{served}\"}} 1");
        Assert.DoesNotContain(HostFixture.SmallBundleName, metrics);
        Assert.DoesNotContain(HostFixture.LargeBundleName, metrics);
    }

    [Fact]
    public async Task BundlesOwnName_IsNotServedWhenTheConfigurationNamesTheModel()
    {
        await using var server = await fixture.StartAsync();

        using var response = await server.Client.PostJsonAsync("/v1/completions", new { model = HostFixture.SmallBundleName, prompt = "hi", max_tokens = 2 });

        var error = await ErrorTests.AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_request_error");
        Assert.Equal("model_not_found", (string)error["code"]!);
        Assert.Contains($"this server serves aio, {HostFixture.SmallName}, {HostFixture.LargeName}.", (string)error["message"]!);
    }

    [Fact]
    public void NoConfiguredNames_ServeTheBundlesModelNames()
    {
        var names = ServedNames.Resolve(new ModelOptions { Small = fixture.SmallBundle, Large = fixture.LargeBundle });

        Assert.Equal([HostFixture.SmallBundleName, HostFixture.LargeBundleName], names.Names);
    }

    [Fact]
    public async Task LargeOnlyConfiguration_ServesPinnedRequests_AndRefusesTheRoutedModelSayingWhy()
    {
        var options = fixture.Options with { Models = new ModelOptions { Large = fixture.LargeBundle, LargeName = "solo-max" } };
        var request = new CompletionRequest { Model = "solo-max", Prompt = "count to three", MaxTokens = 5 };
        using var stack = ServingStack.Load(options);
        var expected = Generator.Generate(stack.Models.Large!, stack.Backend.Prepare(request).PromptTokens, EngineBackend.Options(request, DecodingStrategy.Plain));
        var host = AioServer.Create(options, stack.Backend);
        await host.StartAsync();
        await using var server = new TestServer(host);

        var models = await (await server.Client.GetAsync("/v1/models")).ReadObjectAsync();
        using var pinned = await server.Client.PostJsonAsync("/v1/completions", new { model = "solo-max", prompt = "count to three", max_tokens = 5 });
        using var routed = await server.Client.PostJsonAsync("/v1/completions", new { model = "aio", prompt = "count to three", max_tokens = 5 });

        Assert.Null(stack.Models.Small);
        Assert.Equal(["solo-max"], models["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        Assert.StartsWith("model=solo-max; role=large;", pinned.Headers.GetValues(RouteInfo.HeaderName).Single());
        var body = await pinned.ReadObjectAsync();
        Assert.Equal("solo-max", (string)body["model"]!);
        Assert.Equal(expected.Text, (string)body["choices"]![0]!["text"]!);
        var error = await ErrorTests.AssertErrorAsync(routed, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("model", (string)error["param"]!);
        Assert.Contains("needs both a small and a large model (configure models:small and models:large); this server serves solo-max.", (string)error["message"]!);
    }

    [Fact]
    public void LargeOnlyFile_IsValidWithAWarningThatRoutingNeedsBoth()
    {
        var report = AioConfiguration.Read(Write($$"""{ "models": { "large": "{{Escape(fixture.LargeBundle)}}" } }"""), includeEnvironment: false);

        Assert.Empty(report.Errors);
        Assert.Null(report.OptionsOrThrow().Models.Small);
        Assert.Contains("the routed model 'aio' needs both", Assert.Single(report.Warnings, w => w.Key == "models:small").Message);
    }

    [Theory]
    [InlineData("\"smallName\": \"tiny-large\"", "models:large", "'tiny-large' names both the small and the large model; give each its own name (the bundle's model_name; set models:largeName")]
    [InlineData("\"largeName\": \"aio\"", "models:largeName", "'aio' is the routed model's name")]
    [InlineData("\"smallName\": \"twin\", \"largeName\": \"twin\"", "models:largeName", "'twin' names both the small and the large model")]
    public void NamesThatCannotServe_AreConfigurationErrorsOnTheKeyToChange(string names, string key, string expected)
    {
        var report = AioConfiguration.Read(Write($$"""
            { "models": { "small": "{{Escape(fixture.SmallBundle)}}", "large": "{{Escape(fixture.LargeBundle)}}", {{names}} } }
            """), includeEnvironment: false);

        Assert.Contains(expected, Assert.Single(report.Errors, e => e.Key == key).Message);
    }

    [Fact]
    public void NameWithoutItsBundle_IsAWarning()
    {
        var report = AioConfiguration.Read(Write($$"""{ "models": { "large": "{{Escape(fixture.LargeBundle)}}", "smallName": "mini" } }"""), includeEnvironment: false);

        Assert.Empty(report.Errors);
        Assert.Contains("names no model: models:small is not set", Assert.Single(report.Warnings, w => w.Key == "models:smallName").Message);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"aio-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Escape(string path) => path.Replace("\\", "\\\\");
}
