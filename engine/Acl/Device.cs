using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>
/// One opened AscendCL device (an NPU, or the CPU device) with its context. AscendCL contexts are
/// per-thread, so every operation on the device first makes the context current on the calling thread
/// (<see cref="MakeCurrent"/>, a no-op when it already is).
/// </summary>
public sealed unsafe class Device : SafeHandleZeroOrMinusOneIsInvalid
{
    private Device(int id) : base(ownsHandle: true)
    {
        Id = id;
        // The handle is id + 1 so that device 0 is a valid handle.
        SetHandle(id + 1);
    }

    /// <summary>The device id passed to <c>aclrtSetDevice</c>.</summary>
    public int Id { get; }

    /// <summary>The device's context; made current on each thread that uses the device.</summary>
    public DeviceContext Context { get; private set; } = null!;

    /// <summary>
    /// Initialises AscendCL (once per process; <paramref name="configPath"/> is the optional aclInit JSON),
    /// selects device <paramref name="id"/> and creates its context.
    /// </summary>
    public static Device Open(int id = 0, string? configPath = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        AclRuntime.Acquire(configPath);
        try
        {
            uint count;
            AclException.Check(AclRt.aclrtGetDeviceCount(&count));
            if (id >= count)
                throw new ArgumentOutOfRangeException(nameof(id), id, $"Device {id} does not exist: AscendCL reports {count} device(s).");
            AclException.Check(AclRt.aclrtSetDevice(id));
        }
        catch
        {
            AclRuntime.Release();
            throw;
        }

        var device = new Device(id);
        device.Context = DeviceContext.Create(device);
        return device;
    }

    /// <summary>Number of devices AscendCL reports (initialises AscendCL for the duration of the call).</summary>
    public static int Count()
    {
        AclRuntime.Acquire(null);
        try
        {
            uint count;
            AclException.Check(AclRt.aclrtGetDeviceCount(&count));
            return (int)count;
        }
        finally
        {
            AclRuntime.Release();
        }
    }

    /// <summary>
    /// Creates a handle that keeps this device alive: takes a reference (released by the handle's ReleaseHandle),
    /// makes the context current and runs <paramref name="create"/>; if that throws, the reference is returned.
    /// </summary>
    internal T CreateDependent<T>(Func<T> create)
    {
        MakeCurrent();
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            return create();
        }
        catch
        {
            DangerousRelease();
            throw;
        }
    }

    /// <summary>Makes this device's context current on the calling thread.</summary>
    public void MakeCurrent() => Context.MakeCurrent();

    /// <summary>Free and total device memory (HBM on an NPU; the configured capacity on the CPU device).</summary>
    public DeviceMemoryInfo GetMemoryInfo()
    {
        MakeCurrent();
        nuint free, total;
        AclException.Check(AclRt.aclrtGetMemInfo(aclrtMemAttr.ACL_HBM_MEM, &free, &total));
        return new DeviceMemoryInfo((long)free, (long)total);
    }

    /// <summary>Allocates <paramref name="bytes"/> of device memory.</summary>
    public DeviceBuffer Allocate(long bytes) => DeviceBuffer.Allocate(this, bytes);

    /// <summary>Creates an in-order stream on this device.</summary>
    public DeviceStream CreateStream() => DeviceStream.Create(this);

    /// <summary>Waits for all work queued on the device.</summary>
    public void Synchronize()
    {
        MakeCurrent();
        AclException.Check(AclRt.aclrtSynchronizeDevice());
    }

    /// <summary>The chip name (e.g. Ascend910B3), or empty when the runtime does not say.</summary>
    public string SocName => Utf8Text.Read(AclRt.aclrtGetSocName());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Context?.Dispose();
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        var status = AclRt.aclrtResetDevice(Id);
        AclRuntime.Release();
        return status == AclBase.ACL_SUCCESS;
    }
}

/// <summary>Device memory figures in bytes, as <c>aclrtGetMemInfo</c> reports them.</summary>
public readonly record struct DeviceMemoryInfo(long Free, long Total)
{
    public long Used => Total - Free;
}
