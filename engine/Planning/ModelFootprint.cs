using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Planning;

/// <summary>
/// What one resident model costs in device memory: its weights (once, whatever number of shapes it runs at), the
/// workspace of its largest call, and its KV cache per position, allocated per sequence by gear.
/// </summary>
public sealed record ModelFootprint
{
    /// <summary>The model's name as the plan prints it (bundle name or config path).</summary>
    public required string Name { get; init; }

    public required long WeightBytes { get; init; }

    /// <summary>KV cache bytes of one position across all layers.</summary>
    public required long KvBytesPerPosition { get; init; }

    /// <summary>Working memory of the model's largest call (see <see cref="Workspace"/>).</summary>
    public required long WorkspaceBytes { get; init; }

    /// <summary>The most positions a sequence of this model may hold.</summary>
    public required int MaxContext { get; init; }

    /// <summary>The KV gears caches are allocated at, ascending; the last is <see cref="MaxContext"/>.</summary>
    public required IReadOnlyList<int> Gears { get; init; }

    /// <summary>Where the figures came from, e.g. "bundle.json (float32)" or "config.json, float16".</summary>
    public string Source { get; init; } = "";

    /// <summary>The gear a sequence of <paramref name="context"/> positions is allocated at (capped at the model's context).</summary>
    public int GearFor(int context) =>
        KvGears.Covering(Gears, Math.Clamp(context, 1, MaxContext)) ?? MaxContext;

    /// <summary>KV bytes one sequence of <paramref name="context"/> positions holds: its gear × bytes per position.</summary>
    public long KvBytesPerSequence(int context) => GearFor(context) * KvBytesPerPosition;

    /// <summary>
    /// The footprint of a model known by its dimensions alone (a checkpoint's config.json): weights at
    /// <paramref name="format"/>, KV at the format's activation type, the standard gears up to
    /// <paramref name="maxContext"/> (default: the model's own), workspace per <see cref="Workspace.Bytes"/>.
    /// </summary>
    public static ModelFootprint FromDims(string name, ModelDims dims, WeightFormat format, int? maxContext = null,
        int? prefillChunk = null, int batch = 1)
    {
        var context = Math.Min(maxContext ?? dims.MaxContext, dims.MaxContext);
        var chunk = prefillChunk ?? KvGears.DefaultPrefillChunk(context);   // what aio export would compile
        return new ModelFootprint
        {
            Name = name,
            WeightBytes = dims.WeightBytes(format),
            KvBytesPerPosition = dims.KvBytesPerPosition(format),
            WorkspaceBytes = Workspace.Bytes(dims, format.ActivationBytes(), chunk, context, batch),
            MaxContext = context,
            Gears = KvGears.Default(context, chunk),
            Source = $"config.json, {format.Name()}",
        };
    }
}
