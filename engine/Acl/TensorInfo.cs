using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>One graph input or output as the model description reports it.</summary>
public sealed record TensorInfo(string Name, long[] Dims, aclDataType DataType, long ByteSize)
{
    /// <summary>Number of elements (product of the dims; negative for a dynamic tensor).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>Whether a dimension is -1 (set per call through a dynamic-dims gear).</summary>
    public bool IsDynamic => Dims.Any(d => d < 0);

    public override string ToString() => $"{Name} {DataType} [{string.Join(", ", Dims)}] ({ByteSize} B)";
}
