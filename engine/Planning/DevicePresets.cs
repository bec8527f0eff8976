namespace AscendAio.Engine.Planning;

/// <summary>
/// HBM capacities of Ascend 910B chips, for planning without the device (on the device the plan uses
/// aclrtGetMemInfo). Source: the per-chip memoryCapacity (MiB) in Project-HAMi/ascend-device-plugin's
/// ascend-device-configmap.yaml (910B2 65536, 910B3 65536, 910B4 32768, 910B4-1 65536), which matches what
/// npu-smi reports and the 64 GB on a 910B3 / 32 GB on a 910B4. 910B1 is not listed there: pass
/// --device-memory for it.
/// </summary>
public static class DevicePresets
{
    private static readonly Dictionary<string, long> Capacities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ascend910B2"] = 65536L << 20,
        ["Ascend910B3"] = 65536L << 20,
        ["Ascend910B4"] = 32768L << 20,
        ["Ascend910B4-1"] = 65536L << 20,
    };

    public static IReadOnlyCollection<string> Names => Capacities.Keys;

    /// <summary>The chip's HBM in bytes; "910B3" and "Ascend910B3" both work.</summary>
    public static bool TryGet(string name, out long bytes) =>
        Capacities.TryGetValue(name, out bytes) || Capacities.TryGetValue("Ascend" + name, out bytes);
}
