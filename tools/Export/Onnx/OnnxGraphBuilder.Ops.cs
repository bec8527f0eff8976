namespace AscendAio.Export.Onnx;

// Typed helpers for the standard operators the exporter uses; signatures follow opset 13
// (Unsqueeze/Squeeze/Slice/ReduceSum take axes as inputs, ReduceMean as an attribute).
public sealed partial class OnnxGraphBuilder
{
    public string Add(string a, string b) => Node("Add", [a, b]);
    public string Sub(string a, string b) => Node("Sub", [a, b]);
    public string Mul(string a, string b) => Node("Mul", [a, b]);
    public string Div(string a, string b) => Node("Div", [a, b]);
    public string Sqrt(string x) => Node("Sqrt", [x]);
    public string Sigmoid(string x) => Node("Sigmoid", [x]);
    public string Neg(string x) => Node("Neg", [x]);
    public string MatMul(string a, string b) => Node("MatMul", [a, b]);
    public string Min(string a, string b) => Node("Min", [a, b]);
    public string Less(string a, string b) => Node("Less", [a, b]);
    public string Equal(string a, string b) => Node("Equal", [a, b]);
    public string Where(string condition, string whenTrue, string whenFalse) => Node("Where", [condition, whenTrue, whenFalse]);

    /// <summary>Y = A · Bᵀ (B stored as (N, K), the Hugging Face Linear layout).</summary>
    public string MatMulTransposedB(string a, string b) => Node("Gemm", [a, b], OnnxAttribute.Int("transB", 1));

    public string Cast(string x, ElementType to) => Node("Cast", [x], OnnxAttribute.Int("to", (long)to));

    public string Reshape(string x, params long[] shape) => Node("Reshape", [x, ConstInt64(shape)]);

    /// <summary>Reshape to a shape computed in the graph (an int64 vector value).</summary>
    public string ReshapeTo(string x, string shape) => Node("Reshape", [x, shape]);

    /// <summary>The shape of <paramref name="x"/> as an int64 vector.</summary>
    public string Shape(string x) => Node("Shape", [x]);

    /// <summary>0, 1, …, n-1 (int64) for a scalar int64 value <paramref name="count"/>.</summary>
    public string Range(string count) => Node("Range", [ScalarInt64(0), count, ScalarInt64(1)]);

    public string LessOrEqual(string a, string b) => Node("LessOrEqual", [a, b]);

    /// <summary>Slice with bounds computed in the graph (int64 vectors).</summary>
    public string Slice(string x, string starts, string ends, long[] axes) => Node("Slice", [x, starts, ends, ConstInt64(axes)]);

    public string Transpose(string x, params long[] perm) => Node("Transpose", [x], OnnxAttribute.Ints("perm", perm));

    public string Concat(long axis, params string[] inputs) => Node("Concat", inputs, OnnxAttribute.Int("axis", axis));

    public string Gather(string data, string indices, long axis = 0) => Node("Gather", [data, indices], OnnxAttribute.Int("axis", axis));

    public string Unsqueeze(string x, params long[] axes) => Node("Unsqueeze", [x, ConstInt64(axes)]);

    public string Slice(string x, long[] starts, long[] ends, long[] axes) =>
        Node("Slice", [x, ConstInt64(starts), ConstInt64(ends), ConstInt64(axes)]);

    public string Softmax(string x, long axis = -1) => Node("Softmax", [x], OnnxAttribute.Int("axis", axis));

    public string ReduceMean(string x, long axis, bool keepDims = true) =>
        Node("ReduceMean", [x], OnnxAttribute.Ints("axes", axis), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    public string ArgMax(string x, long axis, bool keepDims = false) =>
        Node("ArgMax", [x], OnnxAttribute.Int("axis", axis), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>First index of the minimum along <paramref name="axis"/> (select_last_index = 0).</summary>
    public string ArgMin(string x, long axis, bool keepDims = false) =>
        Node("ArgMin", [x], OnnxAttribute.Int("axis", axis), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>y = x · scale per slice along <paramref name="axis"/> (int8 with zero point 0).</summary>
    public string DequantizeLinear(string x, string scale, long axis) =>
        Node("DequantizeLinear", [x, scale], OnnxAttribute.Int("axis", axis));
}
