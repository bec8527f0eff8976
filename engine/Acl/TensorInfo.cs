using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>One graph input or output as the model description reports it.</summary>
public sealed record TensorInfo(string Name, long[] Dims, aclDataType DataType, long ByteSize)
{
    /// <summary>Number of elements (product of the dims).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    public override string ToString() => $"{Name} {DataType} [{string.Join(", ", Dims)}] ({ByteSize} B)";
}
