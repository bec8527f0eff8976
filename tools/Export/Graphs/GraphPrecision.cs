using AscendAio.Export.Onnx;

namespace AscendAio.Export.Graphs;

/// <summary>
/// How a graph computes with the export dtype. <see cref="Native"/>: weights, activations and the KV cache are in
/// the dtype (the graph atc compiles). <see cref="Emulated"/>: the same interface (weights stored, KV in and out in
/// the dtype) but the ops run in float32, and every tensor the native graph holds between layers' steps (linear
/// outputs, rotary outputs, attention probabilities and context, the residual stream, the MLP product, norm outputs)
/// is rounded to the dtype. ONNX Runtime's CPU kernels cover float16 but not bfloat16 (e.g. no bfloat16 Mul), so the
/// CPU device runs a bfloat16 bundle's emulated graph, and it rounds where the NPU would.
/// </summary>
public sealed record GraphPrecision(ElementType DType, bool Emulated)
{
    public static GraphPrecision Native(ElementType dtype) => new(dtype, false);

    public static GraphPrecision EmulatedIn(ElementType dtype) => new(dtype, true);

    /// <summary>Whether ONNX Runtime's CPU execution provider has kernels for every op of a native <paramref name="dtype"/> graph.</summary>
    public static bool CpuRunsNatively(ElementType dtype) => dtype is ElementType.Float32 or ElementType.Float16;

    /// <summary>The type the ops compute in.</summary>
    public ElementType Compute => Emulated ? ElementType.Float32 : DType;
}
