using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>
/// Two tiny bundles (<see cref="TinyBundle"/>) under ROOT/small and ROOT/large and a configuration naming them
/// acme-mini and acme-max (both bundles call themselves "tiny"), for the commands that run the configured pair.
/// </summary>
internal sealed class TinyPair : IDisposable
{
    public const string SmallName = "acme-mini", LargeName = "acme-max";

    public TinyPair(string name)
    {
        Root = TempDirectory.Create(name);
        Small = TinyBundle.Export(Path.Combine(Root, "small"));
        Large = TinyBundle.Export(Path.Combine(Root, "large"));
        Config = Path.Combine(Root, "aio.json");
        File.WriteAllText(Config, $$"""
            { "models": { "small": "small/bundle", "large": "large/bundle", "smallName": "{{SmallName}}", "largeName": "{{LargeName}}" },
              "limits": { "maxPromptTokens": 100, "maxNewTokens": 16, "concurrentSequences": 2 } }
            """);
    }

    public string Root { get; }
    public string Small { get; }
    public string Large { get; }

    /// <summary>The configuration file; its bundle paths are relative to it.</summary>
    public string Config { get; }

    public void Dispose() => TempDirectory.Delete(Root);
}
