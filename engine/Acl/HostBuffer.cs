using System.Runtime.CompilerServices;
using AscendAio.Bindings;
using Microsoft.Win32.SafeHandles;

namespace AscendAio.Engine.Acl;

/// <summary>
/// Page-locked host memory from <c>aclrtMallocHost</c>: the source or target of async copies.
/// <see cref="AsSpan{T}"/> views it directly; a span is valid until the buffer is disposed.
/// </summary>
public sealed unsafe class HostBuffer : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly Device _device;

    private HostBuffer(Device device, nint pointer, long size) : base(ownsHandle: true)
    {
        _device = device;
        Size = size;
        SetHandle(pointer);
    }

    public long Size { get; }

    internal nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    public static HostBuffer Allocate(Device device, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return device.CreateDependent(() =>
        {
            void* pointer;
            AclException.Check(AclRt.aclrtMallocHost(&pointer, (nuint)bytes));
            return new HostBuffer(device, (nint)pointer, bytes);
        });
    }

    /// <summary>The memory as a span of <typeparamref name="T"/>; valid until <see cref="SafeHandle.Dispose()"/>.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged => new((void*)Address, checked((int)(Size / sizeof(T))));

    internal void CheckRange(long byteOffset, long bytes, [CallerArgumentExpression(nameof(byteOffset))] string name = "")
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (byteOffset < 0 || bytes < 0 || byteOffset > Size - bytes)
            throw new ArgumentOutOfRangeException(name, $"Range [{byteOffset}, {byteOffset} + {bytes}) is outside the {Size}-byte host buffer.");
    }

    protected override bool ReleaseHandle()
    {
        _device.MakeCurrent();
        var status = AclRt.aclrtFreeHost((void*)handle);
        _device.DangerousRelease();
        return status == AclBase.ACL_SUCCESS;
    }
}
