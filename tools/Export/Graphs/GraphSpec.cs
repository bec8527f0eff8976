using AscendAio.Engine.Bundles;
using AscendAio.Export.Onnx;

namespace AscendAio.Export.Graphs;

/// <summary>
/// One graph to export: "forward T new tokens over a KV window of G slots", with its inputs and outputs.
/// Inputs: tokens int64 (T); pos int64 (1) = valid cache entries before these tokens; kv float32 (G, L, 2, kvh, hd).
/// Outputs: kv_new float32 (T, L, 2, kvh, hd); greedy: next_ids int64 (T) (+ verify: accepted int64 (1));
/// logits variant: logits float32 (T, vocab).
/// </summary>
public sealed record GraphSpec(GraphKind Kind, GraphVariant Variant, int Gear, int Tokens)
{
    public const string TokensInput = "tokens";
    public const string PositionInput = "pos";
    public const string KvInput = "kv";
    public const string KvNewOutput = "kv_new";
    public const string NextIdsOutput = "next_ids";
    public const string AcceptedOutput = "accepted";
    public const string LogitsOutput = "logits";

    public string Name => $"{Kind.ToString().ToLowerInvariant()}_{Variant.ToString().ToLowerInvariant()}_g{Gear}";
    public string FileName => Name + ".onnx";

    public long[] KvShape(int layers, int kvHeads, int headDim, int positions) => [positions, layers, 2, kvHeads, headDim];

    public IReadOnlyList<TensorSpec> Inputs(int layers, int kvHeads, int headDim) =>
    [
        new(TokensInput, ElementType.Int64.ManifestName(), [Tokens]),
        new(PositionInput, ElementType.Int64.ManifestName(), [1]),
        new(KvInput, ElementType.Float32.ManifestName(), KvShape(layers, kvHeads, headDim, Gear)),
    ];

    public IReadOnlyList<TensorSpec> Outputs(int layers, int kvHeads, int headDim, int vocab)
    {
        var outputs = new List<TensorSpec> { new(KvNewOutput, ElementType.Float32.ManifestName(), KvShape(layers, kvHeads, headDim, Tokens)) };
        if (Variant == GraphVariant.Logits)
        {
            outputs.Add(new(LogitsOutput, ElementType.Float32.ManifestName(), [Tokens, vocab]));
        }
        else
        {
            outputs.Add(new(NextIdsOutput, ElementType.Int64.ManifestName(), [Tokens]));
            if (Kind == GraphKind.Verify)
                outputs.Add(new(AcceptedOutput, ElementType.Int64.ManifestName(), [1]));
        }
        return outputs;
    }
}
