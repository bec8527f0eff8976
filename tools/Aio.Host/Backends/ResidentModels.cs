using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Engine.Planning;
using AscendAio.Host.Configuration;
using AscendAio.Router;

namespace AscendAio.Host.Backends;

/// <summary>
/// The opened device with the configured bundles resident on it: the small (probe) model and the large
/// (backbone) model, either or both, and the names they are served under. Disposal unloads the models, then
/// releases the device.
/// </summary>
public sealed class ResidentModels : IDisposable
{
    private ResidentModels(Device device) => Device = device;

    public Device Device { get; }

    public LanguageModel? Small { get; private set; }

    public LanguageModel? Large { get; private set; }

    /// <summary>The resident models' served names (<see cref="ServedNames"/>).</summary>
    public ModelNames Names { get; private set; } = new([]);

    /// <summary>The device-memory plan checked before loading (null when no model was loaded).</summary>
    public HbmPlan? Plan { get; private set; }

    /// <summary>
    /// Opens the configured device, checks the device-memory plan (<see cref="ServingPlan"/>; throws
    /// <see cref="HbmPlanException"/> before loading anything when it does not fit) and loads the selected bundles
    /// among the configured ones.
    /// </summary>
    /// <exception cref="AioConfigException">No selected model is configured, or the names are not usable.</exception>
    public static ResidentModels Load(AioOptions options, bool loadSmall = true, bool loadLarge = true)
    {
        loadSmall &= options.Models.Small is not null;
        loadLarge &= options.Models.Large is not null;
        if (!loadSmall && !loadLarge)
            throw new AioConfigException([new ConfigIssue("models", "missing", "no configured model to load: configure models:small, models:large or both")]);
        var all = ServedNames.Resolve(options.Models); // before the device is touched
        var names = new ModelNames(all.Roles.Where(r => r == ModelRole.Small ? loadSmall : loadLarge).Select(r => KeyValuePair.Create(r, all.Of(r))));
        var device = Device.Open(options.Device.Id, options.Device.AclConfig);
        var resident = new ResidentModels(device);
        try
        {
            var plan = ServingPlan.ForDevice(options, device, loadSmall, loadLarge);
            resident.Plan = plan.Fits ? plan : throw new HbmPlanException(plan);
            resident.Names = names;
            // Keep one idle KV cache per concurrent sequence: requests then reuse caches instead of allocating per request.
            var modelOptions = new LanguageModelOptions { MaxIdleCaches = options.Limits.ConcurrentSequences };
            if (loadSmall)
                resident.Small = LanguageModel.Load(device, ModelBundle.Load(options.Models.Small!), modelOptions);
            if (loadLarge)
                resident.Large = LanguageModel.Load(device, ModelBundle.Load(options.Models.Large!), modelOptions);
            return resident;
        }
        catch
        {
            resident.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Small?.Dispose();
        Large?.Dispose();
        Device.Dispose();
    }
}
