using System.Text.Json;
using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Export.Onnx;

namespace AscendAio.Acl.Tests;

public sealed class GraphTests : IDisposable
{
    private const int Rows = 3, In = 5, Out = 4;
    private readonly string _dir = Directory.CreateTempSubdirectory("aio-graph-").FullName;
    private readonly float[,] _weight = new float[In, Out];
    private readonly float[] _bias = new float[Out];
    private readonly string _path;

    public GraphTests()
    {
        var random = new Random(7);
        for (var i = 0; i < In; i++)
            for (var o = 0; o < Out; o++)
                _weight[i, o] = (float)(random.NextDouble() - 0.5);
        for (var o = 0; o < Out; o++)
            _bias[o] = (float)random.NextDouble();
        _path = Path.Combine(_dir, "linear.onnx");
        LinearGraph.Write(_path, Rows, _weight, _bias);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_DescribesInputsAndOutputsFromTheGraph()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);

        var x = Assert.Single(graph.Inputs);
        var y = Assert.Single(graph.Outputs);
        Assert.Equal(("x", aclDataType.ACL_FLOAT, (long)Rows * In * 4), (x.Name, x.DataType, x.ByteSize));
        Assert.Equal([Rows, In], x.Dims);
        // CANN names an ONNX model's outputs "op_name:out_index:output_name" (aclmdlGetOutputNameByIndex); so does the CPU device.
        Assert.Matches(@"^Identity_\d+:0:y$", y.Name);
        Assert.Equal((aclDataType.ACL_FLOAT, (long)Rows * Out * 4), (y.DataType, y.ByteSize));
        Assert.Same(y, graph.Outputs[graph.OutputIndex("y")]);
        Assert.Equal([Rows, Out], y.Dims);
    }

    [Fact]
    public void Execute_MatMulAdd_MatchesTheHostComputation()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);
        var x = DeviceMemoryTests.RandomFloats(Rows * In, seed: 3);

        graph.InputBuffer(0).Write<float>(x);
        graph.Execute();
        var y = graph.OutputBuffer(0).ToArray<float>();

        var expected = LinearGraph.Compute(x, Rows, _weight, _bias);
        for (var i = 0; i < y.Length; i++)
            Assert.Equal(expected[i], y[i], 1e-5f);
    }

    [Fact]
    public void ExecuteAsync_OnAStream_IsTimedByEvents()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);
        using var stream = device.CreateStream();
        using var start = DeviceEvent.Create(device);
        using var end = DeviceEvent.Create(device);
        var x = DeviceMemoryTests.RandomFloats(Rows * In, seed: 4);
        graph.InputBuffer(0).Write<float>(x);

        stream.Record(start);
        for (var i = 0; i < 10; i++)
            graph.ExecuteAsync(stream);
        stream.Record(end);
        stream.Synchronize();

        Assert.True(DeviceEvent.ElapsedMilliseconds(start, end) > 0);
        var expected = LinearGraph.Compute(x, Rows, _weight, _bias);
        Assert.Equal(expected[0], graph.OutputBuffer(0).ToArray<float>()[0], 1e-5f);
    }

    [Fact]
    public void BindInput_ToAnOffsetInALargerBuffer_ReadsThatRange()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);
        var x = DeviceMemoryTests.RandomFloats(Rows * In, seed: 5);
        const long offset = 256;
        using var big = device.Allocate(offset + x.Length * sizeof(float) + 64);
        big.Fill(0xFF);
        big.Write<float>(x, offset);

        graph.BindInput(0, big, offset, graph.Inputs[0].ByteSize);
        graph.Execute();

        var expected = LinearGraph.Compute(x, Rows, _weight, _bias);
        Assert.Equal(expected[^1], graph.OutputBuffer(0).ToArray<float>()[^1], 1e-5f);
    }

    [Fact]
    public void BindInput_WithTheWrongLength_ThrowsNamingTheInput()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);
        using var buffer = device.Allocate(1024);

        var error = Assert.Throws<ArgumentException>(() => graph.BindInput(0, buffer, 0, 1024));

        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void Execute_WithFreedBoundBuffer_ThrowsInvalidParam()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);
        var buffer = device.Allocate(graph.Inputs[0].ByteSize);
        graph.BindInput(0, buffer, 0, buffer.Size);
        buffer.Dispose();

        var error = Assert.Throws<AclException>(graph.Execute);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, error.Code);
        Assert.Equal("aclmdlExecute", error.Function);
        // The device keeps working after the failed call.
        graph.InputBuffer(0);
    }

    [Fact]
    public void Execute_WithAnUnboundInput_SaysWhichInput()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);

        var error = Assert.Throws<InvalidOperationException>(graph.Execute);

        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void Load_CorruptFile_ThrowsAclExceptionWithTheRuntimeMessage()
    {
        var corrupt = Path.Combine(_dir, "corrupt.onnx");
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
        using var device = Device.Open();
        var before = device.GetMemoryInfo();

        var error = Assert.Throws<AclException>(() => Graph.Load(device, corrupt));

        Assert.Equal("aclmdlLoadFromFile", error.Function);
        Assert.False(string.IsNullOrWhiteSpace(error.NativeMessage));
        Assert.Equal(before.Free, device.GetMemoryInfo().Free);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundBeforeTheNativeCall()
    {
        using var device = Device.Open();

        Assert.Throws<FileNotFoundException>(() => Graph.Load(device, Path.Combine(_dir, "missing.onnx")));
    }

    [Fact]
    public void Dispose_ReturnsDeviceMemoryToItsStartingValue()
    {
        using var device = Device.Open();
        var before = device.GetMemoryInfo();

        for (var i = 0; i < 5; i++)
        {
            using var graph = Graph.Load(device, _path);
            graph.InputBuffer(0).Fill(0);
            graph.Execute();
        }

        Assert.Equal(before.Free, device.GetMemoryInfo().Free);
    }

    [Fact]
    public void Profiler_RecordsExecutesAsChromeTrace()
    {
        using var device = Device.Open();
        using var graph = Graph.Load(device, _path);
        graph.InputBuffer(0).Fill(0);
        var traceDir = Path.Combine(_dir, "prof");

        using (DeviceProfiler.Start(device, traceDir))
        {
            graph.Execute();
            graph.Execute();
        }

        var trace = Assert.Single(Directory.GetFiles(traceDir, "*.json"));
        using var json = JsonDocument.Parse(File.ReadAllText(trace));
        var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var executes = events.Where(e => e.GetProperty("name").GetString()!.Contains("Execute", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(executes.Count >= 2, $"{executes.Count} execute events in {trace}");
        Assert.All(executes, e => Assert.Equal("X", e.GetProperty("ph").GetString()));
    }
}
