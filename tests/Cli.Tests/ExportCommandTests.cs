using System.Text.Json.Nodes;
using AscendAio.TestSupport;

namespace AscendAio.Cli.Tests;

/// <summary>`aio export` on checkpoints of the supported families: exported and summarised, or refused with exit code 1 and a message naming the field, tensor or file.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("cli-export");

    public void Dispose() => TempDirectory.Delete(_root);

    private string Checkpoint(TinyCheckpointOptions options) => TinyCheckpoint.Write(Path.Combine(_root, "checkpoint"), options).Directory;

    private void EditConfig(string checkpoint, string field, string json)
    {
        var path = Path.Combine(checkpoint, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config[field] = JsonNode.Parse(json);
        File.WriteAllText(path, config.ToJsonString());
    }

    private (int Exit, string Out, string Err) Export(string checkpoint, params string[] extra) =>
        AioConsole.Run(["export", "--checkpoint", checkpoint, "--out", Path.Combine(_root, "bundle"), "--chunk", "8", .. extra]);

    [Fact]
    public void Export_Qwen3Checkpoint_PrintsTheArchitecture()
    {
        var checkpoint = Checkpoint(new TinyCheckpointOptions { Architecture = "Qwen3ForCausalLM", ModelType = "qwen3", HeadDim = 16, MaxPositions = 64 });

        var (exit, stdout, stderr) = Export(checkpoint);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Qwen3ForCausalLM", stdout);
        Assert.Contains("head_dim 16", stdout);
    }

    [Fact]
    public void Export_UnsupportedRopeScaling_ExitsOneNamingTheField()
    {
        var checkpoint = Checkpoint(new TinyCheckpointOptions { MaxPositions = 64 });
        EditConfig(checkpoint, "rope_scaling", """{"rope_type": "longrope", "short_factor": [1.0], "long_factor": [1.0]}""");

        var (exit, _, stderr) = Export(checkpoint);

        Assert.Equal(1, exit);
        Assert.Contains("'rope_scaling'", stderr);
        Assert.Contains("'longrope' is not supported", stderr);
        Assert.False(Directory.Exists(Path.Combine(_root, "bundle")));
    }

    [Fact]
    public void Export_MaxContextBeyondMistralsWindow_ExportsTheLongerContext()
    {
        var checkpoint = Checkpoint(new TinyCheckpointOptions
        {
            Architecture = "MistralForCausalLM", ModelType = "mistral", MaxPositions = 128,
            Config = new Dictionary<string, object?> { ["sliding_window"] = 32 },
        });

        var (exit, _, stderr) = Export(checkpoint, "--max-context", "64");

        // Past its window the graph masks attention to the window (Export.Tests' FamilyParityTests checks the numbers).
        Assert.True(exit == 0, stderr);
    }

    [Fact]
    public void Export_IndexNamingAMissingShard_ExitsOneNamingTheShard()
    {
        var checkpoint = Checkpoint(new TinyCheckpointOptions { MaxPositions = 64 });
        File.WriteAllText(Path.Combine(checkpoint, "model.safetensors.index.json"),
            """{"weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors"}}""");

        var (exit, _, stderr) = Export(checkpoint);

        Assert.Equal(1, exit);
        Assert.Contains("'model-00001-of-00002.safetensors'", stderr);
        Assert.Contains("missing", stderr);
    }
}
