using AscendAio.Bindings;
using AscendAio.Engine.Acl;

namespace AscendAio.Acl.Tests;

/// <summary>Bad pointers and ranges at the raw AscendCL level: a documented code and a message, never a crash.</summary>
public unsafe class NativeErrorPathTests
{
    [Fact]
    public void Free_UnknownPointer_ReturnsInvalidParam()
    {
        using var device = Device.Open();
        var notDeviceMemory = stackalloc byte[16];

        var status = AclRt.aclrtFree(notDeviceMemory);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, status);
        Assert.Contains("aclrtFree", AclException.RecentMessage());
    }

    [Fact]
    public void Free_Twice_ReturnsInvalidParam()
    {
        using var device = Device.Open();
        void* pointer;
        AclException.Check(AclRt.aclrtMalloc(&pointer, 128, aclrtMemMallocPolicy.ACL_MEM_MALLOC_HUGE_FIRST));
        AclException.Check(AclRt.aclrtFree(pointer));

        var status = AclRt.aclrtFree(pointer);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, status);
    }

    [Fact]
    public void Memcpy_CountOverDestMax_ReturnsInvalidParam()
    {
        using var device = Device.Open();
        using var buffer = device.Allocate(64);
        var host = stackalloc byte[128];

        var status = AclRt.aclrtMemcpy((void*)buffer.Address, 64, host, 128, aclrtMemcpyKind.ACL_MEMCPY_HOST_TO_DEVICE);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, status);
    }

    [Fact]
    public void Memcpy_PastTheAllocationEnd_ReturnsInvalidParam()
    {
        using var device = Device.Open();
        using var buffer = device.Allocate(64);
        var host = stackalloc byte[64];

        // destMax lies about the room left; the allocation registry knows better.
        var status = AclRt.aclrtMemcpy((byte*)buffer.Address + 32, 64, host, 64, aclrtMemcpyKind.ACL_MEMCPY_HOST_TO_DEVICE);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, status);
        Assert.False(string.IsNullOrEmpty(AclException.RecentMessage()));
    }

    [Fact]
    public void Memcpy_WrongKind_ReturnsInvalidParam()
    {
        using var device = Device.Open();
        using var buffer = device.Allocate(64);
        var host = stackalloc byte[64];

        // HOST_TO_DEVICE with the device buffer as the source: the kind contradicts the pointers.
        var status = AclRt.aclrtMemcpy(host, 64, (void*)buffer.Address, 64, aclrtMemcpyKind.ACL_MEMCPY_HOST_TO_DEVICE);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, status);
    }

    [Fact]
    public void Memset_OnFreedPointer_ReturnsInvalidParam()
    {
        using var device = Device.Open();
        var buffer = device.Allocate(64);
        var address = buffer.Address;
        buffer.Dispose();

        var status = AclRt.aclrtMemset((void*)address, 64, 0, 64);

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, status);
    }

    [Fact]
    public void Check_OnFailure_ThrowsWithCodeFunctionAndNativeMessage()
    {
        using var device = Device.Open();
        var notDeviceMemory = stackalloc byte[16];

        var error = Assert.Throws<AclException>(() => AclException.Check(AclRt.aclrtFree(notDeviceMemory)));

        Assert.Equal(AclBase.ACL_ERROR_INVALID_PARAM, error.Code);
        Assert.Equal("aclrtFree", error.Function);
        Assert.Contains(error.NativeMessage, error.Message);
        Assert.Contains("100000", error.Message);
    }
}
