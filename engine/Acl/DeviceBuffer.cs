using System.Runtime.CompilerServices;
using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>
/// A block of device memory from <c>aclrtMalloc</c>. Device memory is not host-addressable on an NPU, so
/// data moves only through the copy methods; offsets and lengths are checked here before the native call.
/// </summary>
public sealed unsafe class DeviceBuffer : SafeHandleZeroOrMinusOneIsInvalid
{
    private DeviceBuffer(Device device, nint pointer, long size) : base(ownsHandle: true)
    {
        Device = device;
        Size = size;
        SetHandle(pointer);
    }

    public Device Device { get; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; }

    /// <summary>The device address; valid until the buffer is disposed.</summary>
    public nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    internal static DeviceBuffer Allocate(Device device, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return device.CreateDependent(() =>
        {
            void* pointer;
            AclException.Check(AclRt.aclrtMalloc(&pointer, (nuint)bytes, aclrtMemMallocPolicy.ACL_MEM_MALLOC_HUGE_FIRST));
            return new DeviceBuffer(device, (nint)pointer, bytes);
        });
    }

    /// <summary>Copies host data into the buffer at <paramref name="byteOffset"/> (synchronous).</summary>
    public void Write<T>(ReadOnlySpan<T> source, long byteOffset = 0) where T : unmanaged
    {
        var bytes = (long)source.Length * sizeof(T);
        CheckRange(byteOffset, bytes);
        Device.MakeCurrent();
        fixed (T* src = source)
            AclException.Check(AclRt.aclrtMemcpy((byte*)handle + byteOffset, (nuint)(Size - byteOffset), src, (nuint)bytes, aclrtMemcpyKind.ACL_MEMCPY_HOST_TO_DEVICE));
    }

    /// <summary>Copies from the buffer at <paramref name="byteOffset"/> into host memory (synchronous).</summary>
    public void Read<T>(Span<T> destination, long byteOffset = 0) where T : unmanaged
    {
        var bytes = (long)destination.Length * sizeof(T);
        CheckRange(byteOffset, bytes);
        Device.MakeCurrent();
        fixed (T* dst = destination)
            AclException.Check(AclRt.aclrtMemcpy(dst, (nuint)bytes, (byte*)handle + byteOffset, (nuint)bytes, aclrtMemcpyKind.ACL_MEMCPY_DEVICE_TO_HOST));
    }

    /// <summary>Reads the whole buffer as an array of <typeparamref name="T"/> (allocates; not for hot paths).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[Size / sizeof(T)];
        Read<T>(result);
        return result;
    }

    /// <summary>Device-to-device copy of <paramref name="bytes"/> from <paramref name="source"/> (synchronous).</summary>
    public void CopyFrom(DeviceBuffer source, long sourceOffset, long destinationOffset, long bytes)
    {
        source.CheckRange(sourceOffset, bytes);
        CheckRange(destinationOffset, bytes);
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtMemcpy((byte*)handle + destinationOffset, (nuint)(Size - destinationOffset),
            (byte*)source.handle + sourceOffset, (nuint)bytes, aclrtMemcpyKind.ACL_MEMCPY_DEVICE_TO_DEVICE));
    }

    /// <summary>Queues a device-to-device copy on <paramref name="stream"/>.</summary>
    public void CopyFromAsync(DeviceBuffer source, long sourceOffset, long destinationOffset, long bytes, DeviceStream stream)
    {
        source.CheckRange(sourceOffset, bytes);
        CheckRange(destinationOffset, bytes);
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtMemcpyAsync((byte*)handle + destinationOffset, (nuint)(Size - destinationOffset),
            (byte*)source.handle + sourceOffset, (nuint)bytes, aclrtMemcpyKind.ACL_MEMCPY_DEVICE_TO_DEVICE, stream.Pointer));
    }

    /// <summary>Queues a host-to-device copy from pinned host memory on <paramref name="stream"/>.</summary>
    public void WriteAsync(HostBuffer source, long sourceOffset, long destinationOffset, long bytes, DeviceStream stream)
    {
        source.CheckRange(sourceOffset, bytes);
        CheckRange(destinationOffset, bytes);
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtMemcpyAsync((byte*)handle + destinationOffset, (nuint)(Size - destinationOffset),
            (byte*)source.Address + sourceOffset, (nuint)bytes, aclrtMemcpyKind.ACL_MEMCPY_HOST_TO_DEVICE, stream.Pointer));
    }

    /// <summary>Queues a device-to-host copy into pinned host memory on <paramref name="stream"/>.</summary>
    public void ReadAsync(HostBuffer destination, long sourceOffset, long destinationOffset, long bytes, DeviceStream stream)
    {
        CheckRange(sourceOffset, bytes);
        destination.CheckRange(destinationOffset, bytes);
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtMemcpyAsync((byte*)destination.Address + destinationOffset, (nuint)(destination.Size - destinationOffset),
            (byte*)handle + sourceOffset, (nuint)bytes, aclrtMemcpyKind.ACL_MEMCPY_DEVICE_TO_HOST, stream.Pointer));
    }

    /// <summary>Sets every byte of the buffer to <paramref name="value"/>.</summary>
    public void Fill(byte value)
    {
        Device.MakeCurrent();
        AclException.Check(AclRt.aclrtMemset((void*)handle, (nuint)Size, value, (nuint)Size));
    }

    internal void CheckRange(long byteOffset, long bytes, [CallerArgumentExpression(nameof(byteOffset))] string name = "")
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (byteOffset < 0 || bytes < 0 || byteOffset > Size - bytes)
            throw new ArgumentOutOfRangeException(name, $"Range [{byteOffset}, {byteOffset} + {bytes}) is outside the {Size}-byte device buffer.");
    }

    protected override bool ReleaseHandle()
    {
        Device.MakeCurrent();
        var status = AclRt.aclrtFree((void*)handle);
        Device.DangerousRelease();
        return status == AclBase.ACL_SUCCESS;
    }
}
