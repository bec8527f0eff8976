using AscendAio.Export.Onnx.Proto;

namespace AscendAio.Export.Onnx;

/// <summary>The tensor element types the exporter writes, with their ONNX codes and names used in bundle.json.</summary>
public enum ElementType
{
    Float32 = TensorProto.Types.DataType.Float,
    Float16 = TensorProto.Types.DataType.Float16,
    BFloat16 = TensorProto.Types.DataType.Bfloat16,
    Int8 = TensorProto.Types.DataType.Int8,
    Int32 = TensorProto.Types.DataType.Int32,
    Int64 = TensorProto.Types.DataType.Int64,
    Bool = TensorProto.Types.DataType.Bool,
}

public static class ElementTypes
{
    public static int SizeOf(this ElementType type) => type switch
    {
        ElementType.Float32 or ElementType.Int32 => 4,
        ElementType.Float16 or ElementType.BFloat16 => 2,
        ElementType.Int8 or ElementType.Bool => 1,
        ElementType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Lower-case names as bundle.json spells them: float32, int64, ...</summary>
    public static string ManifestName(this ElementType type) => type switch
    {
        ElementType.Float32 => "float32",
        ElementType.Float16 => "float16",
        ElementType.BFloat16 => "bfloat16",
        ElementType.Int8 => "int8",
        ElementType.Int32 => "int32",
        ElementType.Int64 => "int64",
        ElementType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static long ElementCount(IReadOnlyList<long> dims)
    {
        long n = 1;
        foreach (var d in dims)
            n *= d;
        return n;
    }
}
