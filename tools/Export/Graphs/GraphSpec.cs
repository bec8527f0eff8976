using AscendAio.Engine.Bundles;
using AscendAio.Export.Onnx;

namespace AscendAio.Export.Graphs;

/// <summary>
/// The model's one graph (contract v2): inputs tokens int64 (batch, tokens), pos int64 (batch), past_k and past_v
/// (layers, batch, kv_heads, window, head_dim) in the KV type; outputs kv_new (layers, 2, batch, kv_heads,
/// tokens, head_dim) in the KV type, logits float32 (batch, tokens, vocab), next_ids (batch, tokens), accepted (batch, 1). batch, tokens
/// and window are symbolic; <see cref="Profiles"/> lists the values they may take together (atc's gears).
/// </summary>
public sealed record GraphSpec(int Layers, int KvHeads, int HeadDim, int Vocab, IReadOnlyList<GraphProfile> Profiles,
    ElementType KvType = ElementType.Float32)
{
    public const string OnnxFile = "model.onnx";
    public const string OmFile = "model.om";

    /// <summary>The float32-emulated graph the CPU device runs when ONNX Runtime's CPU kernels lack the dtype (bfloat16).</summary>
    public const string CpuOnnxFile = "model.cpu.onnx";

    /// <summary>ONNX metadata keys holding the atc gear strings (the CPU device reads them as CANN reads the .om's gears).</summary>
    public const string InputShapeMetadata = "ascend.atc.input_shape";
    public const string DynamicDimsMetadata = "ascend.atc.dynamic_dims";

    private static readonly Dim Batch = Dim.Named(TensorSpec.Batch), Tokens = Dim.Named(TensorSpec.Tokens), Window = Dim.Named(TensorSpec.Window);

    public Dim[] PastShape => [Layers, Batch, KvHeads, Window, HeadDim];
    public Dim[] TokensShape => [Batch, Tokens];
    public Dim[] PositionShape => [Batch];
    public Dim[] KvNewShape => [Layers, 2, Batch, KvHeads, Tokens, HeadDim];
    public Dim[] LogitsShape => [Batch, Tokens, Vocab];
    public Dim[] NextIdsShape => [Batch, Tokens];
    public Dim[] AcceptedShape => [Batch, 1];

    public IReadOnlyList<TensorSpec> Inputs() =>
    [
        Spec(GraphNames.Tokens, ElementType.Int64, TokensShape),
        Spec(GraphNames.Position, ElementType.Int64, PositionShape),
        Spec(GraphNames.PastKeys, KvType, PastShape),
        Spec(GraphNames.PastValues, KvType, PastShape),
    ];

    public IReadOnlyList<TensorSpec> Outputs() =>
    [
        Spec(GraphNames.KvNew, KvType, KvNewShape),
        Spec(GraphNames.Logits, ElementType.Float32, LogitsShape),
        Spec(GraphNames.NextIds, ElementType.Int64, NextIdsShape),
        Spec(GraphNames.Accepted, ElementType.Int64, AcceptedShape),
    ];

    /// <summary>The batch when every profile has the same one (atc then fixes it in --input_shape); null when batch is a gear dim.</summary>
    public int? FixedBatch => Profiles.Select(p => p.Batch).Distinct().Count() == 1 ? Profiles[0].Batch : null;

    /// <summary>atc's --input_shape: every input with -1 for each dim a gear sets (tokens, window, and batch unless fixed).</summary>
    public string AtcInputShape() => string.Join(";", Inputs().Select(i =>
        $"{i.Name}:{string.Join(",", i.Dims.Select(d => IsGearDim(d) ? "-1" : d == TensorSpec.Batch ? FixedBatch!.Value.ToString() : d))}"));

    /// <summary>atc's --dynamic_dims: one gear per profile, a value per -1 of <see cref="AtcInputShape"/> in input order.</summary>
    public string AtcDynamicDims() => string.Join(";", Profiles.Select(p =>
        string.Join(",", Inputs().SelectMany(i => i.Dims).Where(IsGearDim).Select(d => d switch
        {
            TensorSpec.Tokens => p.Tokens,
            TensorSpec.Window => p.Window,
            _ => p.Batch,
        }))));

    private bool IsGearDim(string dim) => dim is TensorSpec.Tokens or TensorSpec.Window || (dim == TensorSpec.Batch && FixedBatch is null);

    private static TensorSpec Spec(string name, ElementType type, Dim[] dims) => new(name, type.ManifestName(), dims.Select(d => d.ToString()).ToArray());
}
