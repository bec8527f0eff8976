using AscendAio.Engine.Acl;

namespace AscendAio.Acl.Tests;

public class DeviceMemoryTests
{
    [Fact]
    public void WriteThenRead_ReturnsTheSameFloats()
    {
        using var device = Device.Open();
        var data = RandomFloats(10_000, seed: 1);
        using var buffer = device.Allocate(data.Length * sizeof(float));

        buffer.Write<float>(data);
        var back = new float[data.Length];
        buffer.Read<float>(back);

        Assert.Equal(data, back);
    }

    [Fact]
    public void WriteAtOffset_LeavesTheRestUntouched()
    {
        using var device = Device.Open();
        using var buffer = device.Allocate(64);
        buffer.Fill(0xAB);

        buffer.Write<byte>(new byte[] { 1, 2, 3, 4 }, byteOffset: 10);
        var back = buffer.ToArray<byte>();

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, back[10..14]);
        Assert.All(back[..10], b => Assert.Equal(0xAB, b));
        Assert.All(back[14..], b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void Fill_SetsEveryByte()
    {
        using var device = Device.Open();
        using var buffer = device.Allocate(4096 + 3);

        buffer.Fill(0x5A);

        Assert.All(buffer.ToArray<byte>(), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void CopyFrom_CopiesTheRangeBetweenDeviceBuffers()
    {
        using var device = Device.Open();
        var data = RandomFloats(256, seed: 2);
        using var source = device.Allocate(data.Length * sizeof(float));
        using var target = device.Allocate(data.Length * sizeof(float));
        source.Write<float>(data);
        target.Fill(0);

        target.CopyFrom(source, sourceOffset: 16 * sizeof(float), destinationOffset: 0, bytes: 32 * sizeof(float));
        var back = target.ToArray<float>();

        Assert.Equal(data[16..48], back[..32]);
        Assert.All(back[32..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MemoryInfo_FollowsLiveAllocations()
    {
        using var device = Device.Open();
        var before = device.GetMemoryInfo();
        const long size = 64L << 20;

        var buffer = device.Allocate(size);
        var during = device.GetMemoryInfo();
        buffer.Dispose();
        var after = device.GetMemoryInfo();

        Assert.True(before.Total > 0);
        Assert.True(before.Free - during.Free >= size, $"free went from {before.Free} to {during.Free}");
        Assert.Equal(before.Free, after.Free);
    }

    [Fact]
    public void Write_PastTheEnd_ThrowsBeforeTheNativeCall()
    {
        using var device = Device.Open();
        using var buffer = device.Allocate(16);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Write<byte>(new byte[8], byteOffset: 12));
    }

    [Fact]
    public void Allocate_OverCapacity_ThrowsAclExceptionWithNativeMessage()
    {
        using var device = Device.Open();
        var total = device.GetMemoryInfo().Total;

        var error = Assert.Throws<AclException>(() => device.Allocate(total + (1L << 30)));

        Assert.Equal("aclrtMalloc", error.Function);
        Assert.NotEqual(0, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.NativeMessage));
    }

    internal static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        var result = new float[count];
        for (var i = 0; i < count; i++)
            result[i] = (float)(random.NextDouble() * 2 - 1);
        return result;
    }
}
