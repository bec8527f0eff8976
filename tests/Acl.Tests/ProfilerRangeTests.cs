using System.Text.Json;
using AscendAio.Bindings;
using AscendAio.Engine.Acl;
using AscendAio.Export.Onnx;

namespace AscendAio.Acl.Tests;

/// <summary>
/// The profiling window as CANN documents it: AI Core metrics passed to aclprofCreateConfig, msproftx ranges only
/// between aclprofStart and aclprofStop, and the aclprof* functions resolved from libmsprofiler.so on CANN.
/// </summary>
public sealed unsafe class ProfilerRangeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aio-prof-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void NamedRanges_AndTheMetricsAskedFor_LandInTheTimeline()
    {
        using var device = Device.Open();
        var traceDir = Path.Combine(_dir, "prof");

        using (DeviceProfiler.Start(device, traceDir, AicoreMetricNames.Parse("MemoryAccess")))
        {
            using (ProfilerRange.Start(ProfilerRangeName.Prefill))
                Thread.Sleep(2);
            using (ProfilerRange.Start(ProfilerRangeName.Decode))
            {
            }
        }
        using (ProfilerRange.Start(ProfilerRangeName.Verify))
        {
            // after the window: nothing is recorded and nothing fails
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(traceDir, "*.json"))));
        var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var ranges = events.Where(e => e.TryGetProperty("args", out var a) && a.TryGetProperty("msproftx", out _)).ToList();
        Assert.Equal(["prefill", "decode"], ranges.Select(r => r.GetProperty("name").GetString()));
        Assert.True(ranges[0].GetProperty("dur").GetInt64() >= 2000, "the prefill range spans its 2 ms");
        var config = events.Single(e => e.GetProperty("name").GetString() == "aclprof_config").GetProperty("args");
        Assert.Equal((int)aclprofAicoreMetrics.ACL_AICORE_MEMORY_ACCESS, config.GetProperty("aicore_metrics").GetInt32());
        var flags = config.GetProperty("data_type_config").GetUInt64();
        const ulong wanted = AclProf.ACL_PROF_MSPROFTX | AclProf.ACL_PROF_AICORE_METRICS;
        Assert.Equal(wanted, flags & wanted);
    }

    [Fact]
    public void MsproftxOutsideAProfilingWindow_Fails_AsCannDocuments()
    {
        using var device = Device.Open();

        Assert.True(AclProf.aclprofCreateStamp() == null);
        Assert.Contains("between aclprofStart and aclprofStop", AclException.RecentMessage());
        Assert.NotEqual(AclBase.ACL_SUCCESS, AclProf.aclprofRangeStop(12345));
    }

    [Fact]
    public void CreateConfig_WithAnUnknownMetricsValue_IsRefused()
    {
        using var device = Device.Open();
        var path = System.Text.Encoding.UTF8.GetBytes(Path.Combine(_dir, "bad-metrics") + "\0");
        fixed (byte* p = path)
            AclException.Check(AclProf.aclprofInit((sbyte*)p, (nuint)(path.Length - 1)));
        try
        {
            var deviceId = 0u;
            var config = AclProf.aclprofCreateConfig(&deviceId, 1, (aclprofAicoreMetrics)42, null, AclProf.ACL_PROF_ACL_API);
            Assert.True(config == null);
            Assert.Contains("aclprofAicoreMetrics", AclException.RecentMessage());
        }
        finally
        {
            _ = AclProf.aclprofFinalize();
        }
    }

    [Fact]
    public void ProfilerFunctions_ComeFromLibmsprofilerBesideCann_ElseFromTheAclLibraryItself()
    {
        var cann = Path.Combine(_dir, "lib64");
        Directory.CreateDirectory(cann);
        var ascendcl = Path.Combine(cann, "libascendcl.so");
        File.WriteAllText(ascendcl, "");
        var npu = new AclLibraryChoice(ascendcl, AclDeviceKind.Npu, "test");

        Assert.Equal(ascendcl, AclLibrary.ChooseProfiler(npu));   // older CANN: libascendcl.so still exports aclprof*
        File.WriteAllText(Path.Combine(cann, "libmsprofiler.so"), "");
        Assert.Equal(Path.Combine(cann, "libmsprofiler.so"), AclLibrary.ChooseProfiler(npu));
        var cpu = new AclLibraryChoice(Path.Combine(cann, "libacl_cpu.so"), AclDeviceKind.Cpu, "test");
        Assert.Equal(cpu.Path, AclLibrary.ChooseProfiler(cpu));   // the CPU device implements them itself
    }
}
