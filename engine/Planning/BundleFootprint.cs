using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Planning;

/// <summary>
/// The one place the plan reads bundle.json (its fields are changing with the graph contract): weights as the
/// manifest counts them (resident once), its KV bytes per position, its max context and gears, and the workspace
/// formula over its dimensions at its prefill chunk.
/// </summary>
public static class BundleFootprint
{
    public static ModelFootprint From(BundleManifest manifest, int batch = 1)
    {
        var m = manifest.Model;
        var dims = new ModelDims
        {
            Architecture = m.Architecture,
            HiddenSize = m.HiddenSize,
            IntermediateSize = m.IntermediateSize,
            Layers = m.Layers,
            Heads = m.Heads,
            KvHeads = m.KvHeads,
            HeadDim = m.HeadDim,
            VocabSize = m.VocabSize,
            MaxContext = manifest.MaxContext,
            TieWordEmbeddings = m.TieWordEmbeddings,
        };
        var elementBytes = manifest.KvLayout.ElementBytes;
        // The KV pool allocates at the graphs' gears; max_context is always one.
        var gears = manifest.Gears.Where(g => g > 0 && g <= manifest.MaxContext).Append(manifest.MaxContext).Distinct().Order().ToArray();
        return new ModelFootprint
        {
            Name = manifest.ModelName,
            WeightBytes = manifest.Weights.Bytes,
            KvBytesPerPosition = manifest.KvLayout.BytesPerPosition,
            WorkspaceBytes = Workspace.Bytes(dims, elementBytes, manifest.PrefillChunk, manifest.MaxContext, batch),
            MaxContext = manifest.MaxContext,
            Gears = gears,
            Source = $"bundle.json, {manifest.KvLayout.DType}, quantization {manifest.Weights.Quantization}",
        };
    }

    public static ModelFootprint Load(string bundleDirectory, int batch = 1) => From(BundleManifest.Load(bundleDirectory), batch);
}
