using System.Text.Json;
using AscendAio.Export.Checkpoint;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Families;

/// <summary>model.safetensors.index.json: its weight_map decides which shards are read, and every tensor must sit where it says.</summary>
public sealed class ShardedCheckpointTests : IDisposable
{
    private const string First = "model-00001-of-00002.safetensors", Second = "model-00002-of-00002.safetensors";
    private readonly string _dir = TempDirectory.Create("sharded");

    public void Dispose() => TempDirectory.Delete(_dir);

    /// <summary>A Qwen2 checkpoint split in two shards after the 10th tensor, with its index; returns the tensors in order.</summary>
    private List<(string Name, long[] Shape, float[] Data)> WriteSharded(TinyCheckpoint tiny, Func<string, string>? mapOverride = null)
    {
        var all = LlamaTensorNames.Expected(tiny.Config).Select(e => (e.Name, e.Shape, tiny.Weights[e.Name])).ToList();
        File.Delete(Path.Combine(_dir, "model.safetensors"));
        SafetensorsWriter.Write(Path.Combine(_dir, First), all[..10], "BF16");
        SafetensorsWriter.Write(Path.Combine(_dir, Second), all[10..], "BF16");
        var map = all.Select((t, i) => (t.Name, Shard: i < 10 ? First : Second))
            .ToDictionary(p => p.Name, p => mapOverride?.Invoke(p.Name) ?? p.Shard);
        WriteIndex(map);
        return all;
    }

    private void WriteIndex(Dictionary<string, string> map) =>
        File.WriteAllText(Path.Combine(_dir, SafetensorsIndex.FileName),
            JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));

    private TinyCheckpoint Qwen2() => TinyCheckpoint.Write(_dir, new TinyCheckpointOptions { Architecture = "Qwen2ForCausalLM", ModelType = "qwen2", DType = "BF16" });

    [Fact]
    public void Open_IndexedShards_ReadsEveryTensorAndIgnoresFilesOutsideTheIndex()
    {
        var tiny = Qwen2();
        var all = WriteSharded(tiny);
        // A consolidated copy beside the shards (as some repositories ship) is not part of the index.
        SafetensorsWriter.Write(Path.Combine(_dir, "consolidated.safetensors"), all, "BF16");

        using var checkpoint = LlamaCheckpoint.Open(_dir);

        Assert.Equal("BF16", checkpoint.StorageDType);
        foreach (var (name, _, data) in all)
            Assert.Equal(data, checkpoint.ReadFloat(name));
    }

    [Fact]
    public void Open_MissingShard_NamesTheShard()
    {
        WriteSharded(Qwen2());
        File.Delete(Path.Combine(_dir, Second));

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(SafetensorsIndex.FileName, e.File);
        Assert.Equal(Second, e.Subject);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Open_TensorMappedToTheWrongShard_NamesTensorAndBothFiles()
    {
        var moved = LlamaTensorNames.VBias(0);
        WriteSharded(Qwen2(), name => name == moved ? Second : null!);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(moved, e.Subject);
        Assert.Equal(First, e.File);
        Assert.Contains($"maps this tensor to {Second}", e.Message);
    }

    [Fact]
    public void Open_TensorNotInTheIndex_NamesIt()
    {
        var tiny = Qwen2();
        var all = WriteSharded(tiny);
        var left = LlamaTensorNames.FinalNorm;
        WriteIndex(all.Select((t, i) => (t.Name, Shard: i < 10 ? First : Second)).Where(p => p.Name != left).ToDictionary(p => p.Name, p => p.Shard));

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(left, e.Subject);
        Assert.Contains("not listed", e.Message);
    }

    [Fact]
    public void Open_IndexEntryWhoseShardLacksTheTensor_NamesIt()
    {
        var tiny = Qwen2();
        var all = WriteSharded(tiny);
        var map = all.Select((t, i) => (t.Name, Shard: i < 10 ? First : Second)).ToDictionary(p => p.Name, p => p.Shard);
        map["model.layers.9.mlp.up_proj.weight"] = First;
        WriteIndex(map);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal("model.layers.9.mlp.up_proj.weight", e.Subject);
        Assert.Contains("does not contain it", e.Message);
    }

    [Theory]
    [InlineData("{\"weight_map\": {\"model.norm.weight\": \"../elsewhere.safetensors\"}}", "model.norm.weight")]
    [InlineData("{\"metadata\": {}}", "weight_map")]
    public void Open_MalformedIndex_NamesTheEntry(string index, string subject)
    {
        Qwen2();
        File.WriteAllText(Path.Combine(_dir, SafetensorsIndex.FileName), index);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(SafetensorsIndex.FileName, e.File);
        Assert.Equal(subject, e.Subject);
    }
}
