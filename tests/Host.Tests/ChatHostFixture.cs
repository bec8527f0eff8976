using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Host.Server;
using AscendAio.Router;
using AscendAio.Router.Policies;
using AscendAio.TestSupport;

namespace AscendAio.Host.Tests;

/// <summary>
/// Random-weight stand-ins with real tokenizers and chat templates behind the host: a Qwen3 "small" and a Llama 3.1
/// "large" (served under their bundles' names, qwen3 and llama3_1, and routed as aio through the instruct probe), and a model whose template
/// raises on an unknown role, served alone by <see cref="RoleCheckingBackend"/>, and a Qwen2.5 served alone by <see cref="Qwen25Backend"/>. Context 128.
/// </summary>
public sealed class ChatHostFixture : IDisposable
{
    public ChatHostFixture()
    {
        Root = TempDirectory.Create("chat-host");
        Device = Device.Open();
        Small = LanguageModel.Load(Device, ModelBundle.Load(ChatStandIn.Export(Root, "qwen3", "qwen3", hidden: 16, seed: 41)));
        Large = LanguageModel.Load(Device, ModelBundle.Load(ChatStandIn.Export(Root, "llama3_1", "llama3_1", hidden: 32, seed: 42)));
        Qwen25 = LanguageModel.Load(Device, ModelBundle.Load(ChatStandIn.Export(Root, "qwen2_5", "qwen2_5", hidden: 16, seed: 44)));
        RoleChecking = LanguageModel.Load(Device, ModelBundle.Load(
            ChatStandIn.Export(Root, "llama3_1", "role-checking", seed: 43, edit: ChatStandIn.WithTemplate(ChatStandIn.RoleCheckingTemplate))));
        Router = new AioRouter(new RouterModels { Small = Small, Large = Large }, RoutingPolicies.Create(RoutingPolicies.Aio));
        Backend = new EngineBackend(Small, Large, new RouterCompletions(Router));
        RoleCheckingBackend = new EngineBackend(RoleChecking, null);
        Qwen25Backend = new EngineBackend(Qwen25, null);
        Options = new AioOptions
        {
            Limits = new LimitOptions { MaxPromptTokens = 120, MaxNewTokens = 8, QueueLength = 8, ConcurrentSequences = 2, ShutdownGraceSeconds = 5 },
            Server = new ServerOptions { Urls = "http://127.0.0.1:0" },
        };
    }

    public string Root { get; }
    public Device Device { get; }
    public LanguageModel Small { get; }
    public LanguageModel Large { get; }
    public LanguageModel RoleChecking { get; }
    public LanguageModel Qwen25 { get; }
    public AioRouter Router { get; }
    public EngineBackend Backend { get; }
    public EngineBackend RoleCheckingBackend { get; }

    /// <summary>A Qwen2.5 stand-in served alone, under its bundle's name qwen2_5.</summary>
    public EngineBackend Qwen25Backend { get; }

    /// <summary>The backend that serves <paramref name="model"/>: the Qwen2.5 one for qwen2_5, else the routed pair's.</summary>
    public EngineBackend BackendFor(string model) => model == "qwen2_5" ? Qwen25Backend : Backend;
    public AioOptions Options { get; }

    public async Task<TestServer> StartAsync(EngineBackend backend)
    {
        var server = AioServer.Create(Options, backend);
        await server.StartAsync();
        return new TestServer(server);
    }

    public void Dispose()
    {
        Router.Dispose();
        Small.Dispose();
        Large.Dispose();
        RoleChecking.Dispose();
        Qwen25.Dispose();
        Device.Dispose();
        TempDirectory.Delete(Root);
    }
}
