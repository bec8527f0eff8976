using System.Text.Json.Nodes;
using AscendAio.Engine.Bundles;
using AscendAio.Export.Tests.Parity;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Bundles;

/// <summary>What the exporter does with a checkpoint's chat template: records where it is, or refuses it before any work.</summary>
public sealed class ChatTemplateExportTests(TinyBundleFixture fixture) : IClassFixture<TinyBundleFixture>
{
    [Fact]
    public void Export_CheckpointWithoutChatTemplate_KeepsTheSpecialTokenProbeAndNoChatTemplate()
    {
        var m = BundleManifest.Load(fixture.Float.BundleDirectory);
        Assert.Null(m.Templates.Chat);
        Assert.Null(m.Templates.ProbeInstruction);
        Assert.Null(m.CategoryLabels);
        Assert.Equal("<|bos|>{request}<|probe|>", m.Templates.Probe);
    }

    [Theory]
    [InlineData("{% for m in messages %}{{ m.content | wordwrap(10) }}{% endfor %}", "filter 'wordwrap'")]
    [InlineData("{% extends 'base.jinja' %}", "'extends'")]
    [InlineData("{% for m in messages %}{{ m.content }}", "endfor")]
    public void Export_ChatTemplateTheRendererCannotUse_FailsBeforeWritingTheBundle(string template, string named)
    {
        var root = TempDirectory.Create("export-chat");
        try
        {
            var checkpoint = TinyCheckpoint.Write(Path.Combine(root, "ckpt"), new TinyCheckpointOptions { Layers = 1, MaxPositions = 32 });
            var config = Path.Combine(checkpoint.Directory, "tokenizer_config.json");
            var json = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
            json["chat_template"] = template;
            File.WriteAllText(config, json.ToJsonString());
            var output = Path.Combine(root, "bundle");

            var e = Assert.Throws<InvalidDataException>(() => BundleExporter.Export(new ExportOptions { CheckpointDirectory = checkpoint.Directory, OutputDirectory = output, PrefillChunk = 8, Gears = [32] }));
            Assert.Contains(named, e.Message);
            Assert.Contains("tokenizer_config.json", e.Message);
            Assert.False(Directory.Exists(output));
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }
}
