using System.Text;
using System.Text.Json.Nodes;
using AscendAio.Export.Checkpoint;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Checkpoint;

public sealed class CheckpointReaderTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("checkpoint");

    public void Dispose() => TempDirectory.Delete(_dir);

    private string SafetensorsPath => Path.Combine(_dir, "model.safetensors");

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void Open_TinyCheckpoint_ReadsEveryTensorAsStored(string dtype)
    {
        var tiny = TinyCheckpoint.Write(_dir, new TinyCheckpointOptions { DType = dtype });

        using var checkpoint = LlamaCheckpoint.Open(_dir);

        Assert.Equal(dtype, checkpoint.StorageDType);
        Assert.Equal(4, checkpoint.Config.Heads);
        Assert.Equal(2, checkpoint.Config.KvHeads);
        Assert.Equal(8, checkpoint.Config.HeadDim);
        foreach (var (name, _) in LlamaTensorNames.Expected(checkpoint.Config))
            Assert.Equal(tiny.Weights[name], checkpoint.ReadFloat(name));
    }

    [Fact]
    public void Open_TiedCheckpoint_UsesEmbeddingAsLmHead()
    {
        var tiny = TinyCheckpoint.Write(_dir, new TinyCheckpointOptions { TieWordEmbeddings = true });

        using var checkpoint = LlamaCheckpoint.Open(_dir);

        Assert.True(checkpoint.Config.TieWordEmbeddings);
        Assert.Equal(tiny.Weights[LlamaTensorNames.Embedding], checkpoint.ReadLmHead());
    }

    [Fact]
    public void Open_TruncatedSafetensors_NamesTensorBeyondTheData()
    {
        TinyCheckpoint.Write(_dir);
        var bytes = File.ReadAllBytes(SafetensorsPath);
        File.WriteAllBytes(SafetensorsPath, bytes[..^64]);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal("model.safetensors", e.File);
        Assert.Equal(LlamaTensorNames.LmHead, e.Subject);   // the last tensor written
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_SafetensorsShorterThanLengthPrefix_SaysTruncated()
    {
        TinyCheckpoint.Write(_dir);
        File.WriteAllBytes(SafetensorsPath, [1, 2, 3]);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_HeaderLengthBeyondFile_SaysTruncated()
    {
        TinyCheckpoint.Write(_dir);
        var bytes = File.ReadAllBytes(SafetensorsPath);
        File.WriteAllBytes(SafetensorsPath, bytes[..200]);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Contains("header length", e.Message);
    }

    [Fact]
    public void Open_CorruptHeaderJson_SaysNotValidJson()
    {
        TinyCheckpoint.Write(_dir);
        var bytes = File.ReadAllBytes(SafetensorsPath);
        Encoding.ASCII.GetBytes("{{{{").CopyTo(bytes, 8);
        File.WriteAllBytes(SafetensorsPath, bytes);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Open_DataOffsetsDisagreeWithShape_NamesTensor()
    {
        TinyCheckpoint.Write(_dir);
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(SafetensorsPath));
        // Same-length edit of the header: the norm weight's shape [32] becomes [31].
        var key = $"\"{LlamaTensorNames.FinalNorm}\":{{\"dtype\":\"F32\",\"shape\":[32]";
        Assert.Contains(key, text);
        File.WriteAllBytes(SafetensorsPath, Encoding.Latin1.GetBytes(text.Replace(key, key.Replace("[32]", "[31]"))));

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(LlamaTensorNames.FinalNorm, e.Subject);
        Assert.Contains("data_offsets", e.Message);
    }

    [Fact]
    public void Open_MissingTensor_NamesIt()
    {
        var tiny = TinyCheckpoint.Write(_dir);
        var missing = LlamaTensorNames.Up(1);
        RewriteTensors(tiny, t => t.Name != missing);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(missing, e.Subject);
        Assert.Contains("missing tensor", e.Message);
    }

    [Fact]
    public void Open_TensorShapeMismatch_NamesTensorAndBothShapes()
    {
        var tiny = TinyCheckpoint.Write(_dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!;
        config["intermediate_size"] = 48;
        File.WriteAllText(Path.Combine(_dir, "config.json"), config.ToJsonString());

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal(LlamaTensorNames.Gate(0), e.Subject);
        Assert.Contains("(64, 32)", e.Message);
        Assert.Contains("(48, 32)", e.Message);
    }

    [Fact]
    public void Open_UnexpectedTensor_NamesIt()
    {
        var tiny = TinyCheckpoint.Write(_dir);
        RewriteTensors(tiny, _ => true, ("model.layers.0.self_attn.q_proj.bias", [32], new float[32]));

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal("model.layers.0.self_attn.q_proj.bias", e.Subject);
    }

    [Theory]
    [InlineData("architectures", "[\"GPT2LMHeadModel\"]", "GPT2LMHeadModel")]
    [InlineData("num_key_value_heads", "3", "divide")]
    [InlineData("hidden_act", "\"gelu\"", "gelu")]
    [InlineData("rope_scaling", "{\"type\": \"longrope\", \"factor\": 2.0}", "'longrope' is not supported")]
    [InlineData("hidden_size", "null", "missing")]
    public void Open_UnsupportedConfig_NamesTheField(string field, string json, string expectedText)
    {
        TinyCheckpoint.Write(_dir);
        var path = Path.Combine(_dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config[field] = JsonNode.Parse(json);
        File.WriteAllText(path, config.ToJsonString());

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Equal("config.json", e.File);
        Assert.Equal(field, e.Subject);
        Assert.Contains(expectedText, e.Message);
    }

    [Fact]
    public void Open_NoSafetensors_SaysSo()
    {
        TinyCheckpoint.Write(_dir);
        File.Delete(SafetensorsPath);

        var e = Assert.Throws<CheckpointException>(() => LlamaCheckpoint.Open(_dir));

        Assert.Contains("no *.safetensors", e.Message);
    }

    [Fact]
    public void Open_ShardedCheckpoint_FindsTensorsInEveryShard()
    {
        var tiny = TinyCheckpoint.Write(_dir);
        var all = LlamaTensorNames.Expected(tiny.Config).Select(e => (e.Name, e.Shape, tiny.Weights[e.Name])).ToList();
        File.Delete(SafetensorsPath);
        SafetensorsWriter.Write(Path.Combine(_dir, "model-00001-of-00002.safetensors"), all[..10]);
        SafetensorsWriter.Write(Path.Combine(_dir, "model-00002-of-00002.safetensors"), all[10..]);

        using var checkpoint = LlamaCheckpoint.Open(_dir);

        Assert.Equal(tiny.Weights[LlamaTensorNames.LmHead], checkpoint.ReadFloat(LlamaTensorNames.LmHead));
    }

    private void RewriteTensors(TinyCheckpoint tiny, Func<(string Name, long[] Shape, float[] Data), bool> keep,
        params (string Name, long[] Shape, float[] Data)[] extra)
    {
        var tensors = LlamaTensorNames.Expected(tiny.Config).Select(e => (e.Name, e.Shape, tiny.Weights[e.Name])).Where(keep).Concat(extra).ToList();
        SafetensorsWriter.Write(SafetensorsPath, tensors);
    }
}
