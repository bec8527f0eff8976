using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>The named spans the engine marks on the profiling timeline (msproftx ranges).</summary>
public enum ProfilerRangeName
{
    Probe,
    Prefill,
    Decode,
    Verify,
}

/// <summary>
/// A named msproftx range (aclprofCreateStamp, aclprofSetStampTraceMessage, aclprofRangeStart … aclprofRangeStop,
/// aclprofDestroyStamp) while a <see cref="DeviceProfiler"/> runs; nothing at all otherwise (one volatile read). Markers
/// never fail the work they mark: their status codes are ignored. Starting one allocates nothing managed.
/// </summary>
public readonly unsafe struct ProfilerRange : IDisposable
{
    private static volatile bool _enabled;

    private readonly void* _stamp;
    private readonly uint _id;

    private ProfilerRange(void* stamp, uint id)
    {
        _stamp = stamp;
        _id = id;
    }

    public static bool Enabled => _enabled;

    internal static void Enable() => _enabled = true;

    internal static void Disable() => _enabled = false;

    public static ProfilerRange Start(ProfilerRangeName name)
    {
        if (!_enabled)
            return default;
        var stamp = AclProf.aclprofCreateStamp();
        if (stamp == null)
            return default;
        var message = Message(name);
        fixed (byte* text = message)
            _ = AclProf.aclprofSetStampTraceMessage(stamp, (sbyte*)text, (uint)message.Length);
        uint id;
        if (AclProf.aclprofRangeStart(stamp, &id) != AclBase.ACL_SUCCESS)
        {
            AclProf.aclprofDestroyStamp(stamp);
            return default;
        }
        return new ProfilerRange(stamp, id);
    }

    public void Dispose()
    {
        if (_stamp == null)
            return;
        _ = AclProf.aclprofRangeStop(_id);
        AclProf.aclprofDestroyStamp(_stamp);
    }

    private static ReadOnlySpan<byte> Message(ProfilerRangeName name) => name switch
    {
        ProfilerRangeName.Probe => "probe"u8,
        ProfilerRangeName.Prefill => "prefill"u8,
        ProfilerRangeName.Decode => "decode"u8,
        _ => "verify"u8,
    };
}
