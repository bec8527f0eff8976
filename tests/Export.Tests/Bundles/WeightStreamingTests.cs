using AscendAio.Export.Checkpoint;
using AscendAio.Export.Graphs;
using AscendAio.Export.Onnx;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Bundles;

/// <summary>Tensors stream into weights.bin a range of rows at a time; the bytes do not depend on the range size.</summary>
public sealed class WeightStreamingTests
{
    [Theory]
    [InlineData(ElementType.Float32, QuantizationMode.None)]
    [InlineData(ElementType.Float16, QuantizationMode.None)]
    [InlineData(ElementType.BFloat16, QuantizationMode.W8A16)]
    public void SmallChunks_WriteTheSameFile_AsOneChunkPerTensor(ElementType dtype, QuantizationMode quantization)
    {
        var root = TempDirectory.Create("weight-streaming");
        try
        {
            var tiny = TinyCheckpoint.Write(Path.Combine(root, "checkpoint"));
            using var checkpoint = LlamaCheckpoint.Open(tiny.Directory);
            byte[] Write(string name, int chunkElements)
            {
                var path = Path.Combine(root, name);
                using (var file = new ExternalWeightFile(path))
                    ModelWeights.Write(checkpoint, file, dtype, quantization, 32, chunkElements);
                return File.ReadAllBytes(path);
            }

            var whole = Write("whole.bin", int.MaxValue);
            var streamed = Write("streamed.bin", 7);   // fewer elements than one row: one row per read

            Assert.Equal(whole, streamed);
            // The embedding (never quantized) is the first tensor, at offset 0: the checkpoint's values rounded to the dtype.
            var embedding = tiny.Weights[LlamaTensorNames.Embedding];
            var encoded = FloatEncoding.Encode(embedding, dtype);
            Assert.Equal(encoded, whole.AsSpan(0, encoded.Length).ToArray());
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }

    [Fact]
    public void BFloat16_RoundsToNearestEven()
    {
        Assert.Equal(0x3F80, FloatEncoding.ToBFloat16Bits(1f));
        Assert.Equal(0x3F80, FloatEncoding.ToBFloat16Bits(BitConverter.Int32BitsToSingle(0x3F808000)));   // tie, even stays
        Assert.Equal(0x3F82, FloatEncoding.ToBFloat16Bits(BitConverter.Int32BitsToSingle(0x3F818000)));   // tie, odd rounds up
        Assert.Equal(0x3F81, FloatEncoding.ToBFloat16Bits(BitConverter.Int32BitsToSingle(0x3F808001)));   // above the tie
        Assert.True(float.IsNaN(FloatEncoding.FromBFloat16Bits(FloatEncoding.ToBFloat16Bits(float.NaN))));
        Assert.Equal(float.PositiveInfinity, FloatEncoding.FromBFloat16Bits(FloatEncoding.ToBFloat16Bits(float.MaxValue)));
    }
}
