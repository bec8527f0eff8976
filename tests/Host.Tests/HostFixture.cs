using AscendAio.Engine.Generation;
using System.Text.Json.Nodes;
using AscendAio.Export;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.Server;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.TestSupport;
using Microsoft.Extensions.Logging;

namespace AscendAio.Host.Tests;

/// <summary>
/// Two tiny random-weight bundles (small: 1 layer, hidden 32, context 128; large: 2 layers, hidden 64, context 1024 so that
/// a long generation is still running when a test disconnects or shuts down; shared tokenizer; gears 32 and the context)
/// loaded once through <see cref="ResidentModels"/> from a real configuration, the router with the "aio" policy, and an
/// <see cref="EngineBackend"/> serving them as aio, <see cref="SmallName"/> and <see cref="LargeName"/>: names the configuration gives,
/// not the bundles' own model names (<see cref="SmallBundleName"/>, <see cref="LargeBundleName"/>). The large bundle's tokenizer has one extra special token, <see cref="BrokenToken"/>, whose id lies past the
/// model's embedding table: a prompt containing it makes the device's graph execution fail for real. It is also the
/// large model's end-of-sequence token, which the model therefore never produces: its generations always run to
/// max_tokens, so a long stream is guaranteed to still be running when a test disconnects or shuts down.
/// </summary>
public sealed class HostFixture : IDisposable
{
    public const int SmallContext = 128, LargeContext = 1024;
    public const string BrokenToken = "<|boom|>";
    public const string SmallName = "acme-mini", LargeName = "acme-max", SmallBundleName = "tiny-small", LargeBundleName = "tiny-large";

    public HostFixture()
    {
        Root = TempDirectory.Create("host");
        var small = TinyCheckpoint.Write(Path.Combine(Root, "small-ckpt"), new TinyCheckpointOptions { Hidden = 32, Intermediate = 64, Layers = 1, Heads = 2, KvHeads = 1, MaxPositions = SmallContext, Seed = 5 });
        var large = TinyCheckpoint.Write(Path.Combine(Root, "large-ckpt"), new TinyCheckpointOptions { Hidden = 64, Intermediate = 128, Layers = 2, Heads = 4, KvHeads = 2, MaxPositions = LargeContext, Seed = 6 });
        SmallBundle = Export(small, SmallBundleName, SmallContext);
        LargeBundle = Export(large, LargeBundleName, LargeContext);
        AddBrokenToken(LargeBundle, small.Config.VocabSize + 50);
        Options = new AioOptions
        {
            Models = new ModelOptions { Small = SmallBundle, Large = LargeBundle, SmallName = SmallName, LargeName = LargeName },
            Limits = new LimitOptions { MaxPromptTokens = 100, MaxNewTokens = 64, QueueLength = 32, ConcurrentSequences = 4, ShutdownGraceSeconds = 5 },
            Server = new ServerOptions { Urls = "http://127.0.0.1:0" },
        };
        Models = ResidentModels.Load(Options);
        // As aio serve runs them (ServingStack): every generation and probe on the models' step schedulers.
        Execution = new BatchedExecution([Models.Small!, Models.Large!], Options.Limits.ConcurrentSequences,
            servedName: model => Models.Names.Of(model == Models.Small ? ModelRole.Small : ModelRole.Large));
        Router = new AioRouter(new RouterModels { Small = Models.Small!, Large = Models.Large! }, RoutingPolicies.Create(RoutingPolicies.Aio), execution: Execution);
        Backend = new EngineBackend(Models.Small, Models.Large, new RouterCompletions(Router, Models.Names), Models.Names, Execution);
    }

    public string Root { get; }
    public string SmallBundle { get; }
    public string LargeBundle { get; }
    public AioOptions Options { get; }
    public ResidentModels Models { get; }
    public BatchedExecution Execution { get; }
    public AioRouter Router { get; }
    public EngineBackend Backend { get; }

    /// <summary>Starts a server on a free loopback port with the fixture's options, changed by <paramref name="change"/>.</summary>
    public async Task<TestServer> StartAsync(Func<AioOptions, AioOptions>? change = null, ILoggerProvider? logs = null)
    {
        var server = AioServer.Create(change?.Invoke(Options) ?? Options, Backend, logging: logs is null ? null : l =>
        {
            l.SetMinimumLevel(LogLevel.Trace);
            l.AddProvider(logs);
        });
        await server.StartAsync();
        return new TestServer(server);
    }

    /// <summary>Waits (bounded) until no request holds a row or a KV cache: cancellation is observed between generation steps.</summary>
    public Task WaitForIdleCachesAsync() =>
        Eventually.WaitAsync(() => Execution.Schedulers.All(s => s.Running == 0) && Models.Small!.Caches.InUse == 0 && Models.Large!.Caches.InUse == 0);

    private string Export(TinyCheckpoint checkpoint, string name, int context)
    {
        var output = Path.Combine(Root, name);
        BundleExporter.Export(new ExportOptions
        {
            CheckpointDirectory = checkpoint.Directory,
            OutputDirectory = output,
            ModelName = name,
            PrefillChunk = 16,
            VerifyK = 4,
            Gears = [32, context],
            BatchGears = [1, 2, 4],
        });
        return output;
    }

    private static void AddBrokenToken(string bundle, int id)
    {
        var path = Path.Combine(bundle, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["added_tokens_decoder"]![id.ToString()] = new JsonObject { ["content"] = BrokenToken, ["special"] = true };
        config["eos_token"] = BrokenToken;
        File.WriteAllText(path, config.ToJsonString());
        // bundle.json's EOS ids (the export's) end generation too: the broken token is the only one.
        var manifestPath = Path.Combine(bundle, "bundle.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["tokenizer"]!["eos_id"] = id;
        manifest["tokenizer"]!["eos_ids"] = new JsonArray(id);
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }

    public void Dispose()
    {
        Execution.Dispose();
        Router.Dispose();
        Models.Dispose();
        TempDirectory.Delete(Root);
    }
}

/// <summary>All host tests share the fixture and run one at a time: device memory figures are device-wide.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}

/// <summary>A started server with a client pointed at its loopback address; disposing stops both.</summary>
public sealed class TestServer(AioServer server) : IAsyncDisposable
{
    public AioServer Server { get; } = server;

    // No draining: disposing an unread response closes the connection, as a client that goes away does.
    public HttpClient Client { get; } = new(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(server.Urls[0]), Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}
