using AscendAio.Engine.Planning;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio plan --small CONFIG --large CONFIG [--dtype float16] [--context 2048] [--concurrency 1]
/// (--device Ascend910B3 | --device-memory 64GiB) [--reserve 5%] [--prefill-chunk 512]`: the device-memory plan of a
/// model pair from the checkpoints' config.json alone (no weights), before anything is exported. Exit code 1 when it
/// does not fit.
/// </summary>
internal sealed class PlanCommand : ICommand
{
    private const string Usage =
        "usage: aio plan --small CONFIG --large CONFIG [--dtype float16|bfloat16|float32|w8a16] [--context N] [--concurrency N] " +
        "(--device Ascend910B3|--device-memory 64GiB) [--reserve 5%|2GiB] [--prefill-chunk N]";

    public string Name => "plan";

    public string Summary => "device-memory (HBM) plan of a model pair from config.json files, before exporting";

    public int Run(string[] args)
    {
        var cl = CommandLine.Parse(args,
            ["--small", "--large", "--dtype", "--context", "--concurrency", "--device", "--device-memory", "--reserve", "--prefill-chunk"], []);
        if (cl.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{cl.Positional[0]}'; {Usage}");
        var configs = new[] { cl.String("--small"), cl.String("--large") }.OfType<string>().ToArray();
        if (configs.Length == 0)
            throw new UsageException($"--small or --large (a config.json or a checkpoint directory) is required; {Usage}");
        var dtypeText = cl.String("--dtype") ?? WeightFormat.Float16.Name();
        if (!WeightFormats.TryParse(dtypeText, out var format))
            throw new UsageException($"--dtype must be float16, bfloat16, float32 or w8a16; got '{dtypeText}'");
        var context = cl.Int("--context", 2048, min: 1, max: 1 << 24);
        var concurrency = cl.Int("--concurrency", 1, min: 1, max: 1 << 16);
        int? chunk = cl.String("--prefill-chunk") is not null ? cl.Int("--prefill-chunk", 0, min: 1, max: 1 << 16) : null;   // default: what aio export uses
        var (deviceBytes, deviceSource) = DeviceMemory(cl);

        var models = new List<ModelFootprint>();
        foreach (var path in configs)
        {
            ModelDims dims;
            try
            {
                dims = CheckpointConfig.Load(path);
            }
            catch (InvalidDataException e)
            {
                throw new UsageException(e.Message);
            }
            models.Add(ModelFootprint.FromDims(DisplayName(path), dims, format, maxContext: context, prefillChunk: chunk));
            Console.WriteLine($"{DisplayName(path)}: {dims.Architecture}, {dims.ParameterCount:N0} parameters, " +
                              $"{dims.Layers} layers, {dims.KvHeads} KV heads × {dims.HeadDim}, max context {dims.MaxContext}");
        }

        var plan = HbmPlan.Compute(new HbmPlanRequest
        {
            Models = models, Concurrency = concurrency, Context = context, DeviceBytes = deviceBytes, DeviceSource = deviceSource,
            Reserve = Reserve(cl.String("--reserve")),
        });
        PlanTable.Write(Console.Out, plan, indent: "");
        return plan.Fits ? 0 : 1;
    }

    private static (long Bytes, string Source) DeviceMemory(CommandLine cl)
    {
        var name = cl.String("--device");
        var size = cl.String("--device-memory");
        if ((name is null) == (size is null))
            throw new UsageException($"give exactly one of --device ({string.Join(", ", DevicePresets.Names)}) or --device-memory SIZE");
        if (name is not null)
            return DevicePresets.TryGet(name, out var preset) ? (preset, $"{name} preset")
                : throw new UsageException($"--device '{name}' is not a known chip ({string.Join(", ", DevicePresets.Names)}); use --device-memory SIZE");
        return ByteSize.TryParse(size, out var bytes) ? (bytes, "--device-memory")
            : throw new UsageException($"--device-memory must be a size such as 64GiB or 32768MiB; got '{size}'");
    }

    private static HbmReserve Reserve(string? text)
    {
        if (text is null)
            return HbmReserve.Default;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%') && double.TryParse(trimmed[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and < 100)
            return new HbmReserve(percent / 100, 0);
        if (trimmed == "0")
            return new HbmReserve(0, 0);
        return ByteSize.TryParse(trimmed, out var bytes) ? new HbmReserve(0, bytes)
            : throw new UsageException($"--reserve must be a percentage (5%) or a size (2GiB); got '{text}'");
    }

    // "…/Qwen2.5-7B/config.json" → "Qwen2.5-7B"; "qwen2.5-7b.json" → "qwen2.5-7b".
    private static string DisplayName(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(full))
            return Path.GetFileName(full);
        return Path.GetFileName(full) == CheckpointConfig.FileName
            ? Path.GetFileName(Path.GetDirectoryName(full)) ?? full
            : Path.GetFileNameWithoutExtension(full);
    }
}
