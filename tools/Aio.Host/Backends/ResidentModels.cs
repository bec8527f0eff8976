using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Engine.Planning;
using AscendAio.Host.Configuration;

namespace AscendAio.Host.Backends;

/// <summary>
/// The opened device with the configured bundles resident on it: the small (probe) model and the large
/// (backbone) model. Disposal unloads the models, then releases the device.
/// </summary>
public sealed class ResidentModels : IDisposable
{
    private ResidentModels(Device device) => Device = device;

    public Device Device { get; }

    public LanguageModel? Small { get; private set; }

    public LanguageModel? Large { get; private set; }

    /// <summary>The device-memory plan checked before loading (null when no model was loaded).</summary>
    public HbmPlan? Plan { get; private set; }

    /// <summary>
    /// Opens the configured device, checks the device-memory plan (<see cref="ServingPlan"/>; throws
    /// <see cref="HbmPlanException"/> before loading anything when it does not fit) and loads the selected bundles.
    /// </summary>
    public static ResidentModels Load(AioOptions options, bool loadSmall = true, bool loadLarge = true)
    {
        var device = Device.Open(options.Device.Id, options.Device.AclConfig);
        var resident = new ResidentModels(device);
        try
        {
            if (loadSmall || loadLarge)
            {
                var plan = ServingPlan.ForDevice(options, device, loadSmall, loadLarge);
                resident.Plan = plan.Fits ? plan : throw new HbmPlanException(plan);
            }
            // Keep one idle KV cache per concurrent sequence: requests then reuse caches instead of allocating per request.
            var modelOptions = new LanguageModelOptions { MaxIdleCaches = options.Limits.ConcurrentSequences };
            if (loadSmall)
                resident.Small = LanguageModel.Load(device, ModelBundle.Load(Required(options.Models.Small, "models:small")), modelOptions);
            if (loadLarge)
                resident.Large = LanguageModel.Load(device, ModelBundle.Load(Required(options.Models.Large, "models:large")), modelOptions);
            return resident;
        }
        catch
        {
            resident.Dispose();
            throw;
        }
    }

    private static string Required(string? path, string key) =>
        path ?? throw new AioConfigException([new ConfigIssue(key, "missing", "a model bundle directory is required")]);

    public void Dispose()
    {
        Small?.Dispose();
        Large?.Dispose();
        Device.Dispose();
    }
}
