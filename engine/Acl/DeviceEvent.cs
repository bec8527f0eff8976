using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>An <c>aclrtEvent</c>: a marker recorded on a stream, used to wait and to time device work.</summary>
public sealed unsafe class DeviceEvent : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly Device _device;

    private DeviceEvent(Device device, nint deviceEvent) : base(ownsHandle: true)
    {
        _device = device;
        SetHandle(deviceEvent);
    }

    internal void* Pointer => (void*)handle;

    public static DeviceEvent Create(Device device)
    {
        return device.CreateDependent(() =>
        {
            void* created;
            AclException.Check(AclRt.aclrtCreateEvent(&created));
            return new DeviceEvent(device, (nint)created);
        });
    }

    /// <summary>Blocks until the stream reaches the most recent record of this event.</summary>
    public void Synchronize()
    {
        _device.MakeCurrent();
        AclException.Check(AclRt.aclrtSynchronizeEvent(Pointer));
    }

    /// <summary>Milliseconds between two recorded (and completed) events.</summary>
    public static float ElapsedMilliseconds(DeviceEvent start, DeviceEvent end)
    {
        start._device.MakeCurrent();
        float ms;
        AclException.Check(AclRt.aclrtEventElapsedTime(&ms, start.Pointer, end.Pointer));
        return ms;
    }

    protected override bool ReleaseHandle()
    {
        _device.MakeCurrent();
        var status = AclRt.aclrtDestroyEvent((void*)handle);
        _device.DangerousRelease();
        return status == AclBase.ACL_SUCCESS;
    }
}
