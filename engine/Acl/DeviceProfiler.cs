using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>
/// An AscendCL profiling window (<c>aclprofInit</c> … <c>aclprofFinalize</c>). On an NPU the raw data in
/// <see cref="OutputDirectory"/> is parsed by msprof; the CPU device writes a Chrome-trace timeline there.
/// </summary>
public sealed unsafe class DeviceProfiler : IDisposable
{
    // ACL_PROF_ACL_API | ACL_PROF_TASK_TIME: API calls and per-task device time.
    private const ulong DataTypes = AclProf.ACL_PROF_ACL_API | AclProf.ACL_PROF_TASK_TIME;

    private readonly Device _device;
    private aclprofConfig* _config;

    private DeviceProfiler(Device device, string outputDirectory, aclprofConfig* config)
    {
        _device = device;
        OutputDirectory = outputDirectory;
        _config = config;
    }

    public string OutputDirectory { get; }

    /// <summary>Starts profiling <paramref name="device"/>, writing results under <paramref name="outputDirectory"/>.</summary>
    public static DeviceProfiler Start(Device device, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var full = Path.GetFullPath(outputDirectory);
        device.MakeCurrent();
        using (var dir = new Utf8Text(full))
            AclException.Check(AclProf.aclprofInit(dir.Pointer, (nuint)dir.Length));
        var deviceId = (uint)device.Id;
        var config = AclProf.aclprofCreateConfig(&deviceId, 1, aclprofAicoreMetrics.ACL_AICORE_PIPE_UTILIZATION, null, DataTypes);
        if (config == null)
        {
            AclProf.aclprofFinalize();
            throw AclException.FromStatus(AclBase.ACL_ERROR_FAILURE, nameof(AclProf.aclprofCreateConfig));
        }
        var status = AclProf.aclprofStart(config);
        if (status != AclBase.ACL_SUCCESS)
        {
            var error = AclException.FromStatus(status, nameof(AclProf.aclprofStart));
            AclProf.aclprofDestroyConfig(config);
            AclProf.aclprofFinalize();
            throw error;
        }
        return new DeviceProfiler(device, full, config);
    }

    /// <summary>Stops profiling and flushes the results.</summary>
    public void Dispose()
    {
        if (_config == null)
            return;
        _device.MakeCurrent();
        var stop = AclProf.aclprofStop(_config);
        AclProf.aclprofDestroyConfig(_config);
        _config = null;
        var finalize = AclProf.aclprofFinalize();
        AclException.Check(stop);
        AclException.Check(finalize);
    }
}
