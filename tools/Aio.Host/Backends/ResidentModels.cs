using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
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

    /// <summary>Opens the configured device and loads the selected bundles (both by default).</summary>
    public static ResidentModels Load(AioOptions options, bool loadSmall = true, bool loadLarge = true)
    {
        var device = Device.Open(options.Device.Id, options.Device.AclConfig);
        var resident = new ResidentModels(device);
        try
        {
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
