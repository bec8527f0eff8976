using System.Runtime.InteropServices;
using AscendAio.Export.Onnx;
using AscendAio.Export.Onnx.Proto;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Onnx;

public sealed class OnnxGraphBuilderTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("onnx");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Theory]
    [InlineData(13, 7)]
    [InlineData(14, 7)]
    [InlineData(15, 8)]
    public void ToModel_WritesStandardOpsetAndMatchingIrVersion(int opset, long irVersion)
    {
        var g = new OnnxGraphBuilder("g", opset);
        var x = g.Input("x", ElementType.Float32, 2);
        g.Output(g.Neg(x), "y", ElementType.Float32, 2);

        var model = g.ToModel();

        Assert.Equal(irVersion, model.IrVersion);
        Assert.Equal(("", (long)opset), (model.OpsetImport.Single().Domain, model.OpsetImport.Single().Version));
        Assert.Equal(["Neg", "Identity"], model.Graph.Node.Select(n => n.OpType));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(16)]
    public void Constructor_OpsetOutsideAtcRange_Throws(int opset)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder("g", opset));
    }

    [Fact]
    public void Input_DuplicateName_Throws()
    {
        var g = new OnnxGraphBuilder("g");
        g.Input("x", ElementType.Int64, 1);

        var e = Assert.Throws<ArgumentException>(() => g.Input("x", ElementType.Int64, 1));

        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void ConstInt64_SameValuesTwice_IsStoredOnce()
    {
        var g = new OnnxGraphBuilder("g");

        var a = g.ConstInt64([1, 2, 3]);
        var b = g.ConstInt64([1, 2, 3]);

        Assert.Equal(a, b);
        Assert.Single(g.ToModel().Graph.Initializer);
    }

    [Fact]
    public void ExternalInitializer_RecordsLocationOffsetAndLengthOfTheSharedFile()
    {
        var path = Path.Combine(_dir, "weights.bin");
        WeightEntry first, second;
        using (var file = new ExternalWeightFile(path))
        {
            first = file.Add("a", ElementType.Float32, [3], MemoryMarshal.AsBytes<float>([1f, 2f, 3f]));
            second = file.Add("b", ElementType.Int8, [2, 2], [1, 2, 3, 4]);
        }
        var g = new OnnxGraphBuilder("g");

        g.ExternalInitializer(second, "weights.bin");
        var tensor = g.ToModel().Graph.Initializer.Single();

        Assert.Equal((0L, ExternalWeightFile.Alignment), (first.Offset, second.Offset));
        Assert.Equal(TensorProto.Types.DataLocation.External, tensor.DataLocation);
        Assert.Equal((int)ElementType.Int8, tensor.DataType);
        Assert.Equal([2L, 2], tensor.Dims);
        var kv = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(("weights.bin", "65536", "4"), (kv["location"], kv["offset"], kv["length"]));
        Assert.Equal(ExternalWeightFile.Alignment + 4, new FileInfo(path).Length);
    }

    [Fact]
    public void ExternalWeightFile_WrongByteCount_NamesTheWeight()
    {
        using var file = new ExternalWeightFile(Path.Combine(_dir, "weights.bin"));

        var e = Assert.Throws<ArgumentException>(() => file.Add("w", ElementType.Float32, [4], new byte[8]));

        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void Save_RoundTripsThroughTheGeneratedParser()
    {
        var g = new OnnxGraphBuilder("g");
        var x = g.Input("x", ElementType.Float32, 2, 3);
        g.Output(g.Softmax(x), "y", ElementType.Float32, 2, 3);
        var path = Path.Combine(_dir, "g.onnx");

        var bytes = g.Save(path);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

        Assert.Equal(new FileInfo(path).Length, bytes);
        Assert.Equal("g", model.Graph.Name);
        Assert.Equal([2L, 3], model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        Assert.Equal(-1, model.Graph.Node[0].Attribute.Single(a => a.Name == "axis").I);
    }
}
