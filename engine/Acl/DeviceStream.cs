using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>An in-order <c>aclrtStream</c>: async copies, graph executions and events run in queue order.</summary>
public sealed unsafe class DeviceStream : SafeHandleZeroOrMinusOneIsInvalid
{
    private DeviceStream(Device device, nint stream) : base(ownsHandle: true)
    {
        Device = device;
        SetHandle(stream);
    }

    public Device Device { get; }

    internal void* Pointer => (void*)handle;

    internal static DeviceStream Create(Device device)
    {
        return device.CreateDependent(() =>
        {
            void* stream;
            AclException.Check(AclRt.aclrtCreateStream(&stream));
            return new DeviceStream(device, (nint)stream);
        });
    }

    /// <summary>Blocks until everything queued on the stream has run; surfaces errors of queued work.</summary>
    public void Synchronize()
    {
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtSynchronizeStream(Pointer));
    }

    /// <summary>Queues a record of <paramref name="deviceEvent"/> on this stream.</summary>
    public void Record(DeviceEvent deviceEvent)
    {
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtRecordEvent(deviceEvent.Pointer, Pointer));
    }

    protected override bool ReleaseHandle()
    {
        Device.MakeCurrent();
        var status = AclRt.aclrtDestroyStream((void*)handle);
        Device.DangerousRelease();
        return status == AclBase.ACL_SUCCESS;
    }
}
