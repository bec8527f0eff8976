using System.Runtime.InteropServices;
using AscendAio.Export.Onnx.Proto;
using Google.Protobuf;

namespace AscendAio.Export.Onnx;

/// <summary>
/// Builds one ONNX graph (static dims, or named symbolic dims that atc compiles as dynamic-dims gears): inputs, outputs, initializers (inline or in a shared external weight file)
/// and nodes of the standard operator set (domain ""), at an opset atc accepts. Value names are made unique here,
/// so graph-building code can think in operations rather than names.
/// </summary>
public sealed partial class OnnxGraphBuilder
{
    public const int MinOpset = 13;
    public const int MaxOpset = 15;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sharedConstants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string graphName, int opset = 14)
    {
        if (opset is < MinOpset or > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"opset must be {MinOpset}..{MaxOpset} (what atc accepts)");
        Opset = opset;
        _graph = new GraphProto { Name = graphName };
    }

    public int Opset { get; }

    /// <summary>IR version matching the opset's ONNX release (1.8/1.9 → 7, 1.10 → 8).</summary>
    public long IrVersion => Opset <= 14 ? 7 : 8;

    public int NodeCount => _graph.Node.Count;

    public string Input(string name, ElementType type, params Dim[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Exposes <paramref name="value"/> as graph output <paramref name="name"/> (through Identity when the names differ).</summary>
    public void Output(string value, string name, ElementType type, params Dim[] dims)
    {
        if (value != name)
        {
            Claim(name);
            _graph.Node.Add(MakeNode("Identity", [value], [name], []));
        }
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>An initializer stored inside the graph file (small constants: shapes, indices, masks).</summary>
    public string Initializer(string name, ElementType type, long[] dims, ReadOnlySpan<byte> raw)
    {
        var expected = ElementTypes.ElementCount(dims) * type.SizeOf();
        if (raw.Length != expected)
            throw new ArgumentException($"initializer '{name}': {raw.Length} bytes, expected {expected}");
        name = Unique(name);
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>An initializer whose bytes live in the shared weight file; the graph records location, offset, length.</summary>
    public string ExternalInitializer(WeightEntry entry, string fileName)
    {
        if (_sharedConstants.TryGetValue("ext:" + entry.Name, out var existing))
            return existing;
        Claim(entry.Name);
        var t = new TensorProto { Name = entry.Name, DataType = (int)entry.Type, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange(entry.Dims);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = fileName });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = entry.Offset.ToString() });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = entry.Length.ToString() });
        _graph.Initializer.Add(t);
        _sharedConstants["ext:" + entry.Name] = entry.Name;
        return entry.Name;
    }

    public string ConstInt64(long[] values, long[]? dims = null, string name = "c") =>
        Shared($"i64:{string.Join(",", dims ?? [values.Length])}:{string.Join(",", values)}",
            () => Initializer(name, ElementType.Int64, dims ?? [values.Length], MemoryMarshal.AsBytes(values.AsSpan())));

    public string ConstFloat(float[] values, long[]? dims = null, string name = "c") =>
        Shared($"f32:{string.Join(",", dims ?? [values.Length])}:{string.Join(",", values.Select(BitConverter.SingleToInt32Bits))}",
            () => Initializer(name, ElementType.Float32, dims ?? [values.Length], MemoryMarshal.AsBytes(values.AsSpan())));

    /// <summary>A scalar (rank 0) float constant.</summary>
    public string ScalarFloat(float value, string name = "c") => ConstFloat([value], [], name);

    /// <summary>A scalar (rank 0) int64 constant.</summary>
    public string ScalarInt64(long value, string name = "c") => ConstInt64([value], [], name);

    /// <summary>Adds a node; returns its output names (fresh, derived from <paramref name="hint"/> or the op type).</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputCount, IReadOnlyList<AttributeProto> attributes, string? hint = null)
    {
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
            outputs[i] = Unique(hint ?? opType.ToLowerInvariant());
        _graph.Node.Add(MakeNode(opType, inputs, outputs, attributes));
        return outputs;
    }

    public string Node(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    public ModelProto ToModel(string producerVersion = "1")
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "AscendAio.Export",
            ProducerVersion = producerVersion,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in _metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>A model-level metadata entry (ModelProto.metadata_props).</summary>
    public void Metadata(string key, string value) => _metadata[key] = value;

    /// <summary>Writes the graph; returns the file size in bytes.</summary>
    public long Save(string path)
    {
        var model = ToModel();
        using (var stream = File.Create(path))
            model.WriteTo(stream);
        return new FileInfo(path).Length;
    }

    private string Shared(string key, Func<string> create)
    {
        if (!_sharedConstants.TryGetValue(key, out var name))
        {
            name = create();
            _sharedConstants[key] = name;
        }
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
            throw new ArgumentException($"value name '{name}' is already used in graph '{_graph.Name}'");
    }

    private string Unique(string hint)
    {
        var name = hint;
        while (!_names.Add(name))
            name = $"{hint}_{_counter++}";
        return name;
    }

    private NodeProto MakeNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<AttributeProto> attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}", Domain = "" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static ValueInfoProto ValueInfo(string name, ElementType type, Dim[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d.Symbol is { } symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = d.Value });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
