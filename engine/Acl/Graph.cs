using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>
/// A loaded offline graph (<c>.om</c> on an NPU, <c>.onnx</c> on the CPU device) with its description and
/// reusable input/output datasets. Outputs get their own device buffers at load; an input is either bound
/// to caller memory (<see cref="BindInput"/>, e.g. a KV-cache prefix) or gets its own buffer on first
/// <see cref="InputBuffer"/>. Executing re-uses the datasets, so the steady state allocates nothing.
/// </summary>
public sealed unsafe partial class Graph : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly Binding[] _inputs;
    private readonly Binding[] _outputs;
    private aclmdlDataset* _inputDataset;
    private aclmdlDataset* _outputDataset;

    private Graph(Device device, string path, uint modelId, aclmdlDesc* desc, TensorInfo[] inputs, TensorInfo[] outputs)
        : base(ownsHandle: true)
    {
        Device = device;
        Path = path;
        ModelId = modelId;
        Inputs = inputs;
        Outputs = outputs;
        _inputs = new Binding[inputs.Length];
        _outputs = new Binding[outputs.Length];
        SetHandle((nint)desc);
    }

    public Device Device { get; }

    /// <summary>The file the graph was loaded from.</summary>
    public string Path { get; }

    /// <summary>The AscendCL model id.</summary>
    public uint ModelId { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    private aclmdlDesc* Desc => (aclmdlDesc*)handle;

    /// <summary>Loads a graph file and describes it; allocates one device buffer per output.</summary>
    public static Graph Load(Device device, string path)
    {
        // Check the file here: a clear managed error beats whatever the native loader makes of a bad path.
        if (!File.Exists(path))
            throw new FileNotFoundException($"Graph file '{path}' does not exist.", path);
        device.MakeCurrent();
        var added = false;
        device.DangerousAddRef(ref added);
        uint modelId = 0;
        var loaded = false;
        aclmdlDesc* desc = null;
        Graph? graph = null;
        try
        {
            using (var nativePath = new Utf8Text(System.IO.Path.GetFullPath(path)))
                AclException.Check(AclMdl.aclmdlLoadFromFile(nativePath.Pointer, &modelId));
            loaded = true;
            desc = AclMdl.aclmdlCreateDesc();
            if (desc == null)
                throw AclException.FromStatus(AclBase.ACL_ERROR_BAD_ALLOC, nameof(AclMdl.aclmdlCreateDesc));
            AclException.Check(AclMdl.aclmdlGetDesc(desc, modelId));
            graph = new Graph(device, path, modelId, desc, Describe(desc, isInput: true), Describe(desc, isInput: false));
            graph.AllocateOutputs();
            return graph;
        }
        catch
        {
            if (graph is not null)
            {
                graph.Dispose(); // owns the desc, the model and the device reference by now
                throw;
            }
            if (desc != null)
                _ = AclMdl.aclmdlDestroyDesc(desc);
            if (loaded)
                _ = AclMdl.aclmdlUnload(modelId);
            device.DangerousRelease();
            throw;
        }
    }

    /// <summary>Index of the input named <paramref name="name"/>; throws when there is none.</summary>
    public int InputIndex(string name) => IndexOf(Inputs, name, "input");

    /// <summary>Index of the output named <paramref name="name"/>; throws when there is none.</summary>
    public int OutputIndex(string name) => IndexOf(Outputs, name, "output");

    /// <summary>The buffer bound to input <paramref name="index"/>; allocates and binds the graph's own buffer when none is bound.</summary>
    public DeviceBuffer InputBuffer(int index)
    {
        CheckIndex(index, Inputs.Count, "input");
        if (_inputs[index].Buffer is null)
        {
            var own = Device.Allocate(Inputs[index].ByteSize);
            Bind(_inputs, index, own, 0, own.Size, owned: true);
        }
        return _inputs[index].Buffer!;
    }

    /// <summary>The buffer bound to output <paramref name="index"/>.</summary>
    public DeviceBuffer OutputBuffer(int index)
    {
        CheckIndex(index, Outputs.Count, "output");
        return _outputs[index].Buffer!;
    }

    /// <summary>
    /// Binds input <paramref name="index"/> to <paramref name="byteLength"/> bytes of <paramref name="buffer"/>
    /// starting at <paramref name="byteOffset"/> (no copy). The length must equal the input's byte size.
    /// </summary>
    public void BindInput(int index, DeviceBuffer buffer, long byteOffset, long byteLength)
    {
        CheckIndex(index, Inputs.Count, "input");
        CheckBinding(Inputs[index], buffer, byteOffset, byteLength);
        Bind(_inputs, index, buffer, byteOffset, byteLength, owned: false);
    }

    /// <summary>Binds output <paramref name="index"/> to caller memory instead of the graph's own buffer.</summary>
    public void BindOutput(int index, DeviceBuffer buffer, long byteOffset, long byteLength)
    {
        CheckIndex(index, Outputs.Count, "output");
        CheckBinding(Outputs[index], buffer, byteOffset, byteLength);
        Bind(_outputs, index, buffer, byteOffset, byteLength, owned: false);
    }

    /// <summary>Runs the graph synchronously over the bound buffers.</summary>
    public void Execute()
    {
        EnsureDatasets();
        Device.MakeCurrent();
        AclException.Check(AclMdl.aclmdlExecute(ModelId, _inputDataset, _outputDataset));
    }

    /// <summary>Queues the graph on <paramref name="stream"/>; errors surface at the stream's synchronize.</summary>
    public void ExecuteAsync(DeviceStream stream)
    {
        EnsureDatasets();
        Device.MakeCurrent();
        AclException.Check(AclMdl.aclmdlExecuteAsync(ModelId, _inputDataset, _outputDataset, stream.Pointer));
    }

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)} (model {ModelId})";

    /// <summary>What is bound to one input or output: the buffer, the range, and its dataset entry.</summary>
    private struct Binding
    {
        public DeviceBuffer? Buffer;
        public bool Owned;
        public aclDataBuffer* Data;
    }
}
