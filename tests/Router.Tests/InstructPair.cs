using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.TestSupport;

namespace AscendAio.Router.Tests;

/// <summary>
/// A pair of random-weight stand-ins of an instruct model family: the real Llama 3.1 tokenizer and chat template,
/// no probe or category tokens (small: hidden 16, large: hidden 32; context 128 each), resident on one device.
/// </summary>
public sealed class InstructPair : IDisposable
{
    public InstructPair()
    {
        Root = TempDirectory.Create("instruct");
        SmallBundle = ChatStandIn.Export(Root, "llama3_1", "instruct-small", hidden: 16, seed: 31);
        LargeBundle = ChatStandIn.Export(Root, "llama3_1", "instruct-large", hidden: 32, seed: 32);
        Device = Device.Open();
        Small = LanguageModel.Load(Device, ModelBundle.Load(SmallBundle));
        Large = LanguageModel.Load(Device, ModelBundle.Load(LargeBundle));
    }

    public string Root { get; }
    public string SmallBundle { get; }
    public string LargeBundle { get; }
    public Device Device { get; }
    public LanguageModel Small { get; }
    public LanguageModel Large { get; }

    public RouterModels Models => new() { Small = Small, Large = Large };

    public void Dispose()
    {
        Small.Dispose();
        Large.Dispose();
        Device.Dispose();
        TempDirectory.Delete(Root);
    }
}

[CollectionDefinition(Name)]
public sealed class InstructPairCollection : ICollectionFixture<InstructPair>
{
    public const string Name = "instruct pair";
}
