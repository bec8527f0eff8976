using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>An <c>aclrtContext</c>. Holds a reference on its <see cref="Device"/> until released.</summary>
public sealed unsafe class DeviceContext : SafeHandleZeroOrMinusOneIsInvalid
{
    // Serial numbers make the per-thread "already current" cache safe against address reuse.
    private static long _nextSerial;

    [ThreadStatic]
    private static long t_currentSerial;

    private readonly Device _device;
    private readonly long _serial;

    private DeviceContext(Device device, nint context) : base(ownsHandle: true)
    {
        _device = device;
        _serial = Interlocked.Increment(ref _nextSerial);
        SetHandle(context);
    }

    internal static DeviceContext Create(Device device)
    {
        var added = false;
        device.DangerousAddRef(ref added);
        try
        {
            void* context;
            AclException.Check(AclRt.aclrtCreateContext(&context, device.Id));
            var created = new DeviceContext(device, (nint)context);
            t_currentSerial = created._serial; // aclrtCreateContext makes the new context current
            return created;
        }
        catch
        {
            device.DangerousRelease(); // not CreateDependent: the device has no context to make current yet
            throw;
        }
    }

    /// <summary>Makes the context current on the calling thread (skipped when it already is).</summary>
    public void MakeCurrent()
    {
        if (t_currentSerial == _serial)
            return;
        ObjectDisposedException.ThrowIf(IsClosed, this);
        AclException.Check(AclRt.aclrtSetCurrentContext((void*)handle));
        t_currentSerial = _serial;
    }

    protected override bool ReleaseHandle()
    {
        if (t_currentSerial == _serial)
            t_currentSerial = 0;
        var status = AclRt.aclrtDestroyContext((void*)handle);
        _device.DangerousRelease();
        return status == AclBase.ACL_SUCCESS;
    }
}
