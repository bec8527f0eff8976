using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

// Dynamic-dims gears (atc --dynamic_dims): the profiles a graph was compiled for, and choosing one per call.
// CANN documentation: aclmdlGetInputDynamicGearCount (aclcppdevg_03_1467), aclmdlGetInputDynamicDims (aclcppdevg_03_1468),
// aclmdlSetInputDynamicDims (aclcppdevg_03_0312).
public sealed unsafe partial class Graph
{
    /// <summary>
    /// The graph's gears: per gear, every input's shape concatenated in input order (the extra
    /// <c>ascend_mbatch_shape_data</c> input excluded). Empty for a graph compiled without --dynamic_dims.
    /// </summary>
    public IReadOnlyList<long[]> DynamicGears()
    {
        nuint count;
        AclException.Check(AclMdl.aclmdlGetInputDynamicGearCount(Desc, unchecked((nuint)(-1)), &count));
        if (count == 0)
            return [];
        var dims = new aclmdlIODims[(int)count];
        fixed (aclmdlIODims* p = dims)
            AclException.Check(AclMdl.aclmdlGetInputDynamicDims(Desc, unchecked((nuint)(-1)), p, count));
        return dims.Select(d =>
        {
            var values = new long[(int)d.dimCount];
            for (var i = 0; i < values.Length; i++)
                values[i] = d.dims[i];
            return values;
        }).ToArray();
    }

    /// <summary>
    /// A gear's aclmdlIODims: every input's dims concatenated in input order (CANN's aclmdlSetInputDynamicDims form).
    /// </summary>
    /// <exception cref="ArgumentException">More than the 128 dims (ACL_MAX_DIM_CNT) the struct holds.</exception>
    public static aclmdlIODims DimsOf(ReadOnlySpan<long> values)
    {
        if (values.Length > 128)
            throw new ArgumentException($"{values.Length} dims; aclmdlIODims holds 128 (ACL_MAX_DIM_CNT)", nameof(values));
        var dims = new aclmdlIODims { dimCount = (nuint)values.Length };
        for (var i = 0; i < values.Length; i++)
            dims.dims[i] = values[i];
        return dims;
    }

    /// <summary>Index of the extra input atc adds to a dynamic-dims graph.</summary>
    public int DynamicDimsInputIndex => InputIndex(AclMdl.ACL_DYNAMIC_TENSOR_NAME);

    /// <summary>
    /// Selects the gear for the next executions: <paramref name="dims"/> holds every input's shape concatenated and
    /// must equal one of <see cref="DynamicGears"/>. Every input must be bound first.
    /// </summary>
    public void SetDynamicDims(in aclmdlIODims dims)
    {
        EnsureDatasets();
        Device.MakeCurrent();
        fixed (aclmdlIODims* p = &dims)
            AclException.Check(AclMdl.aclmdlSetInputDynamicDims(ModelId, _inputDataset, (nuint)DynamicDimsIndex, p));
    }

    private int DynamicDimsIndex => _dynamicDimsIndex ??= DynamicDimsInputIndex;

    private int? _dynamicDimsIndex;
}
