using AscendAio.Engine.Models;
using AscendAio.TestSupport;

namespace AscendAio.Engine.Tests.ChatPrompts;

/// <summary>Random-weight stand-ins with the real Llama 3.1 and Qwen3 tokenizers and chat templates, exported once for the class.</summary>
public sealed class ChatStandIns : IDisposable
{
    public ChatStandIns()
    {
        Root = TempDirectory.Create("chat");
        Bundles = ReferenceChatPrompts.Names.ToDictionary(n => n, n => ChatStandIn.Export(Root, n, n));
        Loaded = Bundles.ToDictionary(p => p.Key, p => ModelBundle.Load(p.Value));
    }

    /// <summary>Tokenizer name → the bundle, loaded once (tokenizer.json takes a while to read).</summary>
    public IReadOnlyDictionary<string, ModelBundle> Loaded { get; }

    public string Root { get; }

    /// <summary>Tokenizer name → bundle directory.</summary>
    public IReadOnlyDictionary<string, string> Bundles { get; }

    public void Dispose() => TempDirectory.Delete(Root);
}
