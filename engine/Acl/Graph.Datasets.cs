using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

// Description, binding and dataset bookkeeping of a Graph.
public sealed unsafe partial class Graph
{
    private static TensorInfo[] Describe(aclmdlDesc* desc, bool isInput)
    {
        var count = (int)(isInput ? AclMdl.aclmdlGetNumInputs(desc) : AclMdl.aclmdlGetNumOutputs(desc));
        var result = new TensorInfo[count];
        for (var i = 0; i < count; i++)
        {
            aclmdlIODims dims;
            if (isInput)
                AclException.Check(AclMdl.aclmdlGetInputDims(desc, (nuint)i, &dims));
            else
                AclException.Check(AclMdl.aclmdlGetOutputDims(desc, (nuint)i, &dims));
            var shape = new long[(int)dims.dimCount];
            for (var d = 0; d < shape.Length; d++)
                shape[d] = dims.dims[d];
            var name = Utf8Text.Read(isInput ? AclMdl.aclmdlGetInputNameByIndex(desc, (nuint)i) : AclMdl.aclmdlGetOutputNameByIndex(desc, (nuint)i));
            var type = isInput ? AclMdl.aclmdlGetInputDataType(desc, (nuint)i) : AclMdl.aclmdlGetOutputDataType(desc, (nuint)i);
            var size = (long)(isInput ? AclMdl.aclmdlGetInputSizeByIndex(desc, (nuint)i) : AclMdl.aclmdlGetOutputSizeByIndex(desc, (nuint)i));
            result[i] = new TensorInfo(name, shape, type, size);
        }
        return result;
    }

    private void AllocateOutputs()
    {
        for (var i = 0; i < Outputs.Count; i++)
        {
            var own = Device.Allocate(Math.Max(1, Outputs[i].ByteSize));
            Bind(_outputs, i, own, 0, Outputs[i].ByteSize, owned: true);
        }
    }

    private static void Bind(Binding[] bindings, int index, DeviceBuffer buffer, long byteOffset, long byteLength, bool owned)
    {
        // The dataset holds the aclDataBuffer, so updating the data buffer rebinds without touching the dataset.
        ref var binding = ref bindings[index];
        var address = (void*)(buffer.Address + (nint)byteOffset);
        if (binding.Data == null)
        {
            binding.Data = AclBase.aclCreateDataBuffer(address, (nuint)byteLength);
            if (binding.Data == null)
                throw AclException.FromStatus(AclBase.ACL_ERROR_BAD_ALLOC, nameof(AclBase.aclCreateDataBuffer));
        }
        else
        {
            AclException.Check(AclBase.aclUpdateDataBuffer(binding.Data, address, (nuint)byteLength));
        }
        if (binding.Owned && !ReferenceEquals(binding.Buffer, buffer))
            binding.Buffer!.Dispose();
        binding.Buffer = buffer;
        binding.Owned = owned;
    }

    private void EnsureDatasets()
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (_inputDataset != null)
            return;
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i].Buffer is null)
                throw new InvalidOperationException($"Graph {this}: input '{Inputs[i].Name}' is not bound; call BindInput or InputBuffer first.");
        }
        _inputDataset = CreateDataset(_inputs);
        _outputDataset = CreateDataset(_outputs);
    }

    private static aclmdlDataset* CreateDataset(Binding[] bindings)
    {
        var dataset = AclMdl.aclmdlCreateDataset();
        if (dataset == null)
            throw AclException.FromStatus(AclBase.ACL_ERROR_BAD_ALLOC, nameof(AclMdl.aclmdlCreateDataset));
        foreach (var binding in bindings)
            AclException.Check(AclMdl.aclmdlAddDatasetBuffer(dataset, binding.Data));
        return dataset;
    }

    private static void CheckBinding(TensorInfo tensor, DeviceBuffer buffer, long byteOffset, long byteLength)
    {
        buffer.CheckRange(byteOffset, byteLength);
        // A dynamic-dims input reports its largest gear's size; a call binds the range its gear needs.
        if (tensor.IsDynamic ? byteLength > tensor.ByteSize : byteLength != tensor.ByteSize)
            throw new ArgumentException($"'{tensor.Name}' needs {(tensor.IsDynamic ? "at most " : "")}{tensor.ByteSize} bytes; the bound range has {byteLength}.", nameof(byteLength));
    }

    private static void CheckIndex(int index, int count, string what)
    {
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The graph has {count} {what}(s).");
    }

    /// <summary>
    /// Matches <paramref name="name"/> exactly or as the last ':'-separated part: CANN reports an ONNX model's outputs
    /// as "op_name:out_index:output_name" (aclmdlGetOutputNameByIndex, CANN documentation aclcppdevg_03_1457).
    /// </summary>
    private static int IndexOf(IReadOnlyList<TensorInfo> tensors, string name, string what)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Name == name)
                return i;
        }
        for (var i = 0; i < tensors.Count; i++)
        {
            var reported = tensors[i].Name;
            var colon = reported.LastIndexOf(':');
            if (colon >= 0 && reported.AsSpan(colon + 1).SequenceEqual(name))
                return i;
        }
        throw new KeyNotFoundException($"The graph has no {what} named '{name}'; it has: {string.Join(", ", tensors.Select(t => t.Name))}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            ReleaseNative(disposeOwnedBuffers: true);
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        ReleaseNative(disposeOwnedBuffers: false);
        _ = AclMdl.aclmdlDestroyDesc((aclmdlDesc*)handle);
        var status = AclMdl.aclmdlUnload(ModelId);
        Device.DangerousRelease();
        return status == AclBase.ACL_SUCCESS;
    }

    private void ReleaseNative(bool disposeOwnedBuffers)
    {
        // Idempotent: Dispose runs it with the managed buffers, ReleaseHandle again for the native rest.
        Device.MakeCurrent();
        if (_inputDataset != null)
            _ = AclMdl.aclmdlDestroyDataset(_inputDataset);
        if (_outputDataset != null)
            _ = AclMdl.aclmdlDestroyDataset(_outputDataset);
        _inputDataset = null;
        _outputDataset = null;
        foreach (var bindings in new[] { _inputs, _outputs })
        {
            for (var i = 0; i < bindings.Length; i++)
            {
                if (bindings[i].Data != null)
                    _ = AclBase.aclDestroyDataBuffer(bindings[i].Data);
                bindings[i].Data = null;
                if (disposeOwnedBuffers && bindings[i].Owned)
                    bindings[i].Buffer?.Dispose();
                bindings[i].Buffer = null;
            }
        }
    }
}
