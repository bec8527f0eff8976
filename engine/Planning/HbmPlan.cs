namespace AscendAio.Engine.Planning;

/// <summary>What a plan is computed for: the resident models, how many sequences each may hold at what context, and the memory.</summary>
public sealed record HbmPlanRequest
{
    public required IReadOnlyList<ModelFootprint> Models { get; init; }

    /// <summary>Sequences each model may hold at once (each holds a KV cache on the device).</summary>
    public required int Concurrency { get; init; }

    /// <summary>Positions a sequence may reach (prompt + generated); capped per model at its max context.</summary>
    public required int Context { get; init; }

    /// <summary>The device memory planned against.</summary>
    public required long DeviceBytes { get; init; }

    /// <summary>Where <see cref="DeviceBytes"/> came from (the device's aclrtGetMemInfo, a chip preset, an option).</summary>
    public string DeviceSource { get; init; } = "";

    public HbmReserve Reserve { get; init; } = HbmReserve.Default;
}

/// <summary>
/// Device memory kept out of the plan: a fraction of the device (CANN runtime and driver buffers, model descriptions,
/// streams and events, allocator alignment and fragmentation) plus fixed bytes.
/// </summary>
public sealed record HbmReserve(double Fraction, long Bytes)
{
    /// <summary>5 % of the device: 3.2 GiB of a 64 GiB 910B3, 1.6 GiB of a 32 GiB 910B4.</summary>
    public static readonly HbmReserve Default = new(0.05, 0);

    public long For(long deviceBytes) => Bytes + (long)Math.Ceiling(Fraction * deviceBytes);

    public override string ToString() =>
        (Fraction, Bytes) switch
        {
            (0, _) => ByteSize.Format(Bytes),
            (_, 0) => $"{Fraction * 100:0.##} % of the device",
            _ => $"{Fraction * 100:0.##} % of the device + {ByteSize.Format(Bytes)}",
        };
}

/// <summary>One line of the breakdown: what, how many bytes, and how they were counted.</summary>
public sealed record HbmPlanLine(string Model, string Item, long Bytes, string Detail);

/// <summary>
/// The device-memory plan: weights of every model once, each model's workspace, each model's KV caches at
/// concurrency × the gear covering the context, and the reserve, against the device's memory. When it does not fit,
/// the largest concurrency at this context and the largest context at this concurrency that would.
/// </summary>
public sealed record HbmPlan
{
    public required HbmPlanRequest Request { get; init; }
    public required IReadOnlyList<HbmPlanLine> Lines { get; init; }

    /// <summary>Everything but the KV caches: weights, workspaces, reserve.</summary>
    public required long FixedBytes { get; init; }

    /// <summary>The KV bytes one more concurrent sequence adds (one cache per model at the planned context).</summary>
    public required long KvBytesPerSequence { get; init; }

    public required long TotalBytes { get; init; }

    /// <summary>The most sequences per model that fit at the requested context; 0 when not even the weights fit.</summary>
    public required int MaxConcurrency { get; init; }

    /// <summary>The longest context that fits at the requested concurrency (a gear boundary); 0 when none does.</summary>
    public required int MaxContext { get; init; }

    public long DeviceBytes => Request.DeviceBytes;

    public bool Fits => TotalBytes <= DeviceBytes;

    public static HbmPlan Compute(HbmPlanRequest request)
    {
        if (request.Models.Count == 0)
            throw new ArgumentException("a plan needs at least one model", nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Context, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.DeviceBytes, 1);

        var lines = new List<HbmPlanLine>();
        foreach (var m in request.Models)
        {
            lines.Add(new(m.Name, "weights", m.WeightBytes, m.Source));
            lines.Add(new(m.Name, "workspace", m.WorkspaceBytes, $"largest call at context {m.MaxContext}"));
            var gear = m.GearFor(request.Context);
            var capped = request.Context > m.MaxContext ? $" (context capped at the model's {m.MaxContext})" : "";
            lines.Add(new(m.Name, "KV cache", request.Concurrency * m.KvBytesPerSequence(request.Context),
                $"{request.Concurrency} × gear {gear} × {m.KvBytesPerPosition} B/position{capped}"));
        }
        var reserve = request.Reserve.For(request.DeviceBytes);
        lines.Add(new("", "reserve", reserve, request.Reserve.ToString()));

        var fixedBytes = request.Models.Sum(m => m.WeightBytes + m.WorkspaceBytes) + reserve;
        var perSequence = KvPerSequence(request.Models, request.Context);
        return new HbmPlan
        {
            Request = request,
            Lines = lines,
            FixedBytes = fixedBytes,
            KvBytesPerSequence = perSequence,
            TotalBytes = fixedBytes + request.Concurrency * perSequence,
            MaxConcurrency = LargestConcurrency(request.DeviceBytes - fixedBytes, perSequence),
            MaxContext = LargestContext(request, fixedBytes),
        };
    }

    private static long KvPerSequence(IEnumerable<ModelFootprint> models, int context) =>
        models.Sum(m => m.KvBytesPerSequence(context));

    private static int LargestConcurrency(long room, long perSequence) =>
        room < 0 ? 0 : perSequence == 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, room / perSequence);

    // KV bytes grow in steps at the gears, so the longest fitting context is a gear of one of the models.
    private static int LargestContext(HbmPlanRequest request, long fixedBytes)
    {
        var room = request.DeviceBytes - fixedBytes;
        var best = 0;
        foreach (var context in request.Models.SelectMany(m => m.Gears).Distinct().Order())
        {
            if (request.Concurrency * KvPerSequence(request.Models, context) > room)
                break;
            best = context;
        }
        return best;
    }

    /// <summary>One sentence: fits or not, and what would.</summary>
    public string Verdict()
    {
        var needs = $"needs {ByteSize.Format(TotalBytes)} of {ByteSize.Format(DeviceBytes)}";
        if (Fits)
            return $"fits: {Request.Concurrency} sequence(s) at context {Request.Context} {needs} " +
                   $"(at most {MaxConcurrency} sequence(s) at this context)";
        if (MaxConcurrency == 0)
            return $"does not fit: {needs}; the weights, workspaces and reserve alone take {ByteSize.Format(FixedBytes)}, " +
                   "so no concurrency fits (use a smaller dtype, W8A16 or a smaller model)";
        var context = MaxContext > 0
            ? $"or at most context {MaxContext} with {Request.Concurrency} sequence(s)"
            : $"and no context fits {Request.Concurrency} sequence(s)";
        return $"does not fit: {Request.Concurrency} sequence(s) at context {Request.Context} {needs}; " +
               $"at most {MaxConcurrency} concurrent sequence(s) fit at context {Request.Context}, {context}";
    }
}
