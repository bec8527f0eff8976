using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>
/// An AscendCL profiling window (<c>aclprofInit</c> … <c>aclprofFinalize</c>). On an NPU the raw data in
/// <see cref="OutputDirectory"/> is parsed by msprof; the CPU device writes a Chrome-trace timeline there. The
/// collection records AscendCL API calls, per-task device time, msproftx ranges (<see cref="ProfilerRange"/>:
/// probe, prefill, decode, verify) and, unless <see cref="aclprofAicoreMetrics.ACL_AICORE_NONE"/>, the AI Core
/// metric group given. The aclprof* functions come from libmsprofiler.so on CANN (<see cref="AclLibrary.ProfilerName"/>).
/// </summary>
public sealed unsafe class DeviceProfiler : IDisposable
{
    private readonly Device _device;
    private aclprofConfig* _config;

    private DeviceProfiler(Device device, string outputDirectory, aclprofConfig* config, aclprofAicoreMetrics metrics)
    {
        _device = device;
        OutputDirectory = outputDirectory;
        _config = config;
        AicoreMetrics = metrics;
    }

    public string OutputDirectory { get; }

    public aclprofAicoreMetrics AicoreMetrics { get; }

    /// <summary>The dataTypeConfig flags for a collection with <paramref name="metrics"/>.</summary>
    public static ulong DataTypes(aclprofAicoreMetrics metrics) =>
        AclProf.ACL_PROF_ACL_API | AclProf.ACL_PROF_TASK_TIME | AclProf.ACL_PROF_MSPROFTX
        | (metrics == aclprofAicoreMetrics.ACL_AICORE_NONE ? 0UL : AclProf.ACL_PROF_AICORE_METRICS);

    /// <summary>Starts profiling <paramref name="device"/>, writing results under <paramref name="outputDirectory"/>.</summary>
    public static DeviceProfiler Start(Device device, string outputDirectory,
        aclprofAicoreMetrics metrics = aclprofAicoreMetrics.ACL_AICORE_PIPE_UTILIZATION)
    {
        Directory.CreateDirectory(outputDirectory);
        var full = Path.GetFullPath(outputDirectory);
        device.MakeCurrent();
        using (var dir = new Utf8Text(full))
            AclException.Check(AclProf.aclprofInit(dir.Pointer, (nuint)dir.Length));
        var deviceId = (uint)device.Id;
        var config = AclProf.aclprofCreateConfig(&deviceId, 1, metrics, null, DataTypes(metrics));
        if (config == null)
        {
            var error = AclException.FromStatus(AclBase.ACL_ERROR_FAILURE, nameof(AclProf.aclprofCreateConfig));
            _ = AclProf.aclprofFinalize();
            throw error;
        }
        var status = AclProf.aclprofStart(config);
        if (status != AclBase.ACL_SUCCESS)
        {
            var error = AclException.FromStatus(status, nameof(AclProf.aclprofStart));
            _ = AclProf.aclprofDestroyConfig(config);
            _ = AclProf.aclprofFinalize();
            throw error;
        }
        ProfilerRange.Enable();
        return new DeviceProfiler(device, full, config, metrics);
    }

    /// <summary>Stops profiling and flushes the results.</summary>
    public void Dispose()
    {
        if (_config == null)
            return;
        ProfilerRange.Disable();
        _device.MakeCurrent();
        var stop = AclProf.aclprofStop(_config);
        _ = AclProf.aclprofDestroyConfig(_config);
        _config = null;
        var finalize = AclProf.aclprofFinalize();
        AclException.Check(stop);
        AclException.Check(finalize);
    }
}
