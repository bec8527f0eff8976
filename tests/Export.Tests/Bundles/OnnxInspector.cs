using AscendAio.Export.Onnx.Proto;

namespace AscendAio.Export.Tests.Bundles;

/// <summary>Reads exported ONNX files back through the generated protobuf classes.</summary>
internal static class OnnxInspector
{
    /// <summary>The standard (domain "") operators the Llama graphs may use; all exist in opset 13.</summary>
    public static readonly HashSet<string> StandardOperators =
    [
        "Add", "ArgMax", "ArgMin", "Cast", "Concat", "DequantizeLinear", "Div", "Equal", "Gather", "Gemm", "Identity",
        "Less", "LessOrEqual", "MatMul", "Min", "Mul", "Neg", "Range", "ReduceMean", "Reshape", "Shape", "Sigmoid",
        "Slice", "Softmax", "Sqrt", "Sub", "Transpose", "Unsqueeze", "Where",
    ];

    public sealed record External(string Name, string Location, long Offset, long Length);

    public static ModelProto Load(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }

    public static List<External> ExternalTensors(string path) =>
        Load(path).Graph.Initializer
            .Where(t => t.DataLocation == TensorProto.Types.DataLocation.External)
            .Select(t =>
            {
                var kv = t.ExternalData.ToDictionary(e => e.Key, e => e.Value);
                return new External(t.Name, kv["location"], long.Parse(kv["offset"]), long.Parse(kv["length"]));
            })
            .ToList();
}
