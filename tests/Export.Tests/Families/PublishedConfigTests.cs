using AscendAio.Export.Checkpoint;

namespace AscendAio.Export.Tests.Families;

/// <summary>
/// Real models' config.json facts (tests/Engine.Tests/Planning/Configs, sources in its README) read through the
/// family table: the tensors the reader then expects add up to each model's published parameter count, biases and
/// tied heads included, so a family feature that adds or drops a tensor shows up as a wrong count.
/// </summary>
public sealed class PublishedConfigTests
{
    [Theory]
    [InlineData("llama-3.2-1b.json", "LlamaForCausalLM", 1_235_814_400L)]
    [InlineData("llama-3.1-8b.json", "LlamaForCausalLM", 8_030_261_248L)]
    [InlineData("qwen2.5-1.5b-instruct.json", "Qwen2ForCausalLM", 1_543_714_304L)]
    [InlineData("qwen2.5-7b-instruct.json", "Qwen2ForCausalLM", 7_615_616_512L)]
    [InlineData("openpangu-embedded-7b.json", "PanguEmbeddedForCausalLM", 8_030_887_936L)]
    public void ExpectedTensors_PublishedConfig_AddUpToThePublishedParameterCount(string file, string architecture, long parameters)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "PublishedConfigs", file);
        var config = LlamaConfig.Parse(System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)).RootElement);

        var count = LlamaTensorNames.Expected(config).Sum(t => t.Shape.Aggregate(1L, (a, d) => a * d));

        Assert.Equal(architecture, config.Architecture);
        Assert.Equal(parameters, count);
    }
}
