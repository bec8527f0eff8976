using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// Checks a loaded graph against its bundle.json before any request runs (names, element types, shapes, gears),
/// and builds the aclmdlSetInputDynamicDims argument of each profile.
/// </summary>
internal static class GraphContract
{
    public static void Check(Graph graph, BundleManifest manifest, string bundleDirectory)
    {
        var spec = manifest.Graph;
        string Mismatch(string what) =>
            $"bundle '{bundleDirectory}': graph {Path.GetFileName(graph.Path)} does not match bundle.json: {what}; re-export with aio export";
        void CheckTensors(IReadOnlyList<TensorSpec> expected, IReadOnlyList<TensorInfo> actual, Func<string, int> indexOf, string role)
        {
            foreach (var tensor in expected)
            {
                int index;
                try
                {
                    index = indexOf(tensor.Name);
                }
                catch (KeyNotFoundException)
                {
                    throw new InvalidDataException(Mismatch($"it has no {role} '{tensor.Name}'"));
                }
                var info = actual[index];
                if (DataTypeName(info.DataType) != tensor.DType)
                    throw new InvalidDataException(Mismatch($"{role} '{tensor.Name}' is {DataTypeName(info.DataType)}, bundle.json says {tensor.DType}"));
                if (!ShapeMatches(info.Dims, tensor.Dims))
                    throw new InvalidDataException(Mismatch($"{role} '{tensor.Name}' has shape [{string.Join(", ", info.Dims)}], bundle.json says [{string.Join(", ", tensor.Dims)}]"));
            }
        }
        CheckTensors(spec.Inputs, graph.Inputs, graph.InputIndex, "input");
        CheckTensors(spec.Outputs, graph.Outputs, graph.OutputIndex, "output");
        if (graph.Inputs.Count != spec.Inputs.Count + 1)
            throw new InvalidDataException(Mismatch($"it has {graph.Inputs.Count} inputs, bundle.json lists {spec.Inputs.Count} plus {AclMdl.ACL_DYNAMIC_TENSOR_NAME}"));
        var gears = graph.DynamicGears();
        foreach (var profile in spec.Profiles)
        {
            var dims = Concatenated(graph, spec, profile);
            if (!gears.Any(g => g.AsSpan().SequenceEqual(dims)))
                throw new InvalidDataException(Mismatch($"profile ({profile}) is not one of its {gears.Count} dynamic-dims gears"));
        }
        if (manifest.KvLayout.DType != spec.Input(GraphNames.PastKeys).DType)
            throw new InvalidDataException(Mismatch($"the KV cache dtype {manifest.KvLayout.DType} is not what past_k takes ({spec.Input(GraphNames.PastKeys).DType})"));
        var elementBytes = (int)AclBase.aclDataTypeSize(graph.Inputs[graph.InputIndex(GraphNames.PastKeys)].DataType);
        if (manifest.KvLayout.ElementBytes != elementBytes)
            throw new InvalidDataException(Mismatch($"the KV layout's {manifest.KvLayout.ElementBytes}-byte elements are not past_k's {elementBytes}-byte {manifest.KvLayout.DType}"));
    }

    /// <summary>Every input's shape under <paramref name="profile"/>, concatenated in the graph's input order.</summary>
    public static aclmdlIODims GearDims(Graph graph, BundleGraph spec, GraphProfile profile)
    {
        var values = Concatenated(graph, spec, profile);
        if (values.Length > 128)
            throw new InvalidDataException($"profile ({profile}) needs {values.Length} dims; aclmdlIODims holds 128 (ACL_MAX_DIM_CNT)");
        return Graph.DimsOf(values);
    }

    private static long[] Concatenated(Graph graph, BundleGraph spec, GraphProfile profile)
    {
        var values = new List<long>();
        foreach (var input in graph.Inputs)
        {
            var name = input.Name[(input.Name.LastIndexOf(':') + 1)..];
            if (name == AclMdl.ACL_DYNAMIC_TENSOR_NAME)
                continue;
            values.AddRange(spec.Input(name).Resolve(profile));
        }
        return values.ToArray();
    }

    /// <summary>Same rank; fixed dims equal. A symbolic dim may read -1, or a size a compiler fixed (atc compiles batch at 1).</summary>
    private static bool ShapeMatches(long[] actual, IReadOnlyList<string> declared) =>
        actual.Length == declared.Count &&
        actual.Zip(declared).All(p => long.TryParse(p.Second, out var fixedSize) ? p.First == fixedSize : p.First == -1 || p.First > 0);

    private static string DataTypeName(aclDataType type) => type switch
    {
        aclDataType.ACL_FLOAT => "float32",
        aclDataType.ACL_FLOAT16 => "float16",
        aclDataType.ACL_BF16 => "bfloat16",
        aclDataType.ACL_INT64 => "int64",
        _ => type.ToString(),
    };
}
