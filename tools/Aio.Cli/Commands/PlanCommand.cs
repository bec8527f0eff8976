using System.CommandLine;
using AscendAio.Engine.Planning;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio plan --small CONFIG --large CONFIG [--dtype float16] [--context 2048] [--concurrency 1]
/// (--device Ascend910B3 | --device-memory 64GiB) [--reserve 5%] [--prefill-chunk 512]`: the device-memory plan of a
/// model pair from the checkpoints' config.json alone (no weights), before anything is exported. Exit code 1 when it
/// does not fit.
/// </summary>
internal sealed class PlanCommand : IDeclaredCommand
{
    private static readonly Option<string?> Small = new("--small") { Description = "the small model's config.json, or its checkpoint directory", HelpName = "CONFIG" };
    private static readonly Option<string?> Large = new("--large") { Description = "the large model's config.json, or its checkpoint directory", HelpName = "CONFIG" };

    private static readonly Option<string> Dtype = DtypeOption();

    private static readonly Option<int?> Context = OptionRules.Positive(new Option<int?>("--context") { Description = "context (tokens) per sequence [default: 2048]", HelpName = "N" });
    private static readonly Option<int?> Concurrency = OptionRules.Positive(new Option<int?>("--concurrency") { Description = "sequences per model at once [default: 1]", HelpName = "N" });
    private static readonly Option<int?> PrefillChunk = OptionRules.Positive(new Option<int?>("--prefill-chunk") { Description = "prefill chunk (default: what aio export uses)", HelpName = "N" });
    private static readonly Option<string?> Device = new("--device") { Description = $"a chip preset: {string.Join(", ", DevicePresets.Names)}" };
    private static readonly Option<string?> DeviceMemoryOption = new("--device-memory") { Description = "the device's memory instead of a preset, e.g. 64GiB", HelpName = "SIZE" };
    private static readonly Option<string?> ReserveOption = new("--reserve") { Description = "memory kept free: a percentage (5%) or a size (2GiB)" };

    public string Name => "plan";

    public string Summary => "device-memory (HBM) plan of a model pair from config.json files, before exporting";

    public void Declare(Command command)
    {
        foreach (var option in new Option[] { Small, Large, Dtype, Context, Concurrency, Device, DeviceMemoryOption, ReserveOption, PrefillChunk })
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Small) is null && result.GetValue(Large) is null)
                result.AddError("--small or --large (a config.json or a checkpoint directory) is required");
            if ((result.GetValue(Device) is null) == (result.GetValue(DeviceMemoryOption) is null))
                result.AddError($"give exactly one of --device ({string.Join(", ", DevicePresets.Names)}) or --device-memory SIZE");
        });
    }

    public int Run(ParseResult parse)
    {
        var configs = new[] { parse.GetValue(Small), parse.GetValue(Large) }.OfType<string>().ToArray();
        _ = WeightFormats.TryParse(parse.GetRequiredValue(Dtype), out var format); // the validator checked it
        var context = parse.GetValue(Context) ?? 2048;
        if (context > 1 << 24)
            throw new UsageException($"--context must be an integer in [1, {1 << 24}], got '{context}'");
        var concurrency = parse.GetValue(Concurrency) ?? 1;
        if (concurrency > 1 << 16)
            throw new UsageException($"--concurrency must be an integer in [1, {1 << 16}], got '{concurrency}'");
        var chunk = parse.GetValue(PrefillChunk);   // default: what aio export uses
        var (deviceBytes, deviceSource) = DeviceMemory(parse.GetValue(Device), parse.GetValue(DeviceMemoryOption));

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
            Reserve = Reserve(parse.GetValue(ReserveOption)),
        });
        PlanTable.Write(Console.Out, plan, indent: "");
        return plan.Fits ? 0 : 1;
    }

    private static Option<string> DtypeOption()
    {
        var option = new Option<string>("--dtype")
        {
            Description = "weight and KV format",
            HelpName = "float16|bfloat16|float32|w8a16",
            DefaultValueFactory = _ => WeightFormat.Float16.Name(),
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var text && !WeightFormats.TryParse(text, out _))
                result.AddError($"--dtype must be float16, bfloat16, float32 or w8a16; got '{text}'");
        });
        return option;
    }

    /// <summary>Exactly one of the two is set (the command's validator checks).</summary>
    private static (long Bytes, string Source) DeviceMemory(string? name, string? size)
    {
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
