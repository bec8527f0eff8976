using AscendAio.Bindings;
using AscendAio.Engine.Acl;

namespace AscendAio.Acl.Tests;

public unsafe class LifecycleTests
{
    [Fact]
    public void AclInit_WhileInitialized_ReturnsRepeatInitialize()
    {
        using var device = Device.Open();

        var status = AclRt.aclInit(null);

        Assert.Equal(AclBase.ACL_ERROR_REPEAT_INITIALIZE, status);
        Assert.Contains("aclInit", AclException.RecentMessage());
    }

    [Fact]
    public void AclFinalize_AfterTheLastDeviceClosed_ReturnsRepeatFinalize()
    {
        Device.Open().Dispose(); // initialise and finalise once

        var status = AclRt.aclFinalize();

        Assert.Equal(AclBase.ACL_ERROR_REPEAT_FINALIZE, status);
    }

    [Fact]
    public void DeviceCalls_WithoutInit_ReturnUninitialize()
    {
        uint count;

        var status = AclRt.aclrtGetDeviceCount(&count);

        Assert.Equal(AclBase.ACL_ERROR_UNINITIALIZE, status);
    }

    [Fact]
    public void Open_ThenReopen_Works()
    {
        for (var i = 0; i < 3; i++)
        {
            using var device = Device.Open();
            using var buffer = device.Allocate(1024);
            buffer.Fill((byte)i);
            Assert.Equal((byte)i, buffer.ToArray<byte>()[1023]);
        }
    }

    [Fact]
    public void Open_UnknownDevice_ThrowsWithTheDeviceCount()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Device.Open(id: 99));

        Assert.Contains("device(s)", error.Message);
    }

    [Fact]
    public void Open_WithConfigFile_UsesItsDeviceCountAndCapacity()
    {
        var config = Path.Combine(Path.GetTempPath(), $"aio-acl-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """{ "aio_cpu": { "device_count": 2, "device_memory_bytes": 1073741824 } }""");
        try
        {
            using var device = Device.Open(id: 1, configPath: config);

            Assert.Equal(1L << 30, device.GetMemoryInfo().Total);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Open_WithMissingConfigFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Device.Open(configPath: "/nonexistent/acl.json"));
    }
}
