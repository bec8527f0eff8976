using AscendAio.Engine.Acl;
using AscendAio.Engine.Planning;
using AscendAio.Host.Configuration;

namespace AscendAio.Host.Backends;

/// <summary>
/// The device-memory plan of a configuration: the configured bundles' weights and workspaces, and each model's KV
/// caches for limits:concurrentSequences sequences at limits:maxPromptTokens + limits:maxNewTokens positions
/// (capped per model at its max context), against the device's free memory before anything is loaded.
/// `aio config check` prints it; `aio serve` and `aio generate` refuse to load a plan that does not fit.
/// </summary>
public static class ServingPlan
{
    /// <summary>The context each sequence is planned at: the longest prompt plus the most new tokens a request may ask for.</summary>
    public static int Context(AioOptions options) => options.Limits.MaxPromptTokens + options.Limits.MaxNewTokens;

    public static HbmPlan Compute(AioOptions options, long deviceBytes, string deviceSource, bool small = true, bool large = true)
    {
        var models = new List<ModelFootprint>();
        if (small)
            models.Add(BundleFootprint.Load(Required(options.Models.Small, "models:small")));
        if (large)
            models.Add(BundleFootprint.Load(Required(options.Models.Large, "models:large")));
        return HbmPlan.Compute(new HbmPlanRequest
        {
            Models = models,
            Concurrency = options.Limits.ConcurrentSequences,
            Context = Context(options),
            DeviceBytes = deviceBytes,
            DeviceSource = deviceSource,
        });
    }

    /// <summary>Plans against the opened device's free memory (aclrtGetMemInfo), before any model is loaded on it.</summary>
    public static HbmPlan ForDevice(AioOptions options, Device device, bool small = true, bool large = true) =>
        Compute(options, device.GetMemoryInfo().Free, $"free on device {device.Id} (aclrtGetMemInfo)", small, large);

    /// <summary>Opens the configured device only to read its free memory, then plans.</summary>
    public static HbmPlan ForConfiguredDevice(AioOptions options)
    {
        using var device = Device.Open(options.Device.Id, options.Device.AclConfig);
        return ForDevice(options, device, options.Models.Small is not null, options.Models.Large is not null);
    }

    private static string Required(string? path, string key) =>
        path ?? throw new AioConfigException([new ConfigIssue(key, "missing", "a model bundle directory is required")]);
}

/// <summary>The configured models cannot all fit in the device's memory; nothing was loaded.</summary>
public sealed class HbmPlanException(HbmPlan plan)
    : Exception($"the device-memory plan {plan.Verdict()}; lower limits:concurrentSequences or limits:maxPromptTokens + limits:maxNewTokens " +
                "(`aio config check` prints the breakdown)")
{
    public HbmPlan Plan { get; } = plan;
}
