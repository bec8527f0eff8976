using AscendAio.Engine.Acl;

namespace AscendAio.Acl.Tests;

public class StreamAndEventTests
{
    [Fact]
    public void AsyncCopies_OnOneStream_RunInQueueOrder()
    {
        using var device = Device.Open();
        using var stream = device.CreateStream();
        const int count = 1024;
        using var host = HostBuffer.Allocate(device, count * sizeof(int));
        using var result = HostBuffer.Allocate(device, count * sizeof(int));
        using var first = device.Allocate(count * sizeof(int));
        using var second = device.Allocate(count * sizeof(int));
        var values = host.AsSpan<int>();
        for (var i = 0; i < count; i++)
            values[i] = i * 7;

        // Each step depends on the previous one: out-of-order execution would read stale data.
        first.WriteAsync(host, 0, 0, count * sizeof(int), stream);
        second.CopyFromAsync(first, 0, 0, count * sizeof(int), stream);
        second.ReadAsync(result, 0, 0, count * sizeof(int), stream);
        stream.Synchronize();

        Assert.Equal(values.ToArray(), result.AsSpan<int>().ToArray());
    }

    [Fact]
    public void ManyAsyncWrites_ToOneAddress_LeaveTheLastValue()
    {
        using var device = Device.Open();
        using var stream = device.CreateStream();
        using var host = HostBuffer.Allocate(device, 100 * sizeof(int));
        using var target = device.Allocate(sizeof(int));
        var values = host.AsSpan<int>();
        for (var i = 0; i < 100; i++)
            values[i] = i + 1;

        for (var i = 0; i < 100; i++)
            target.WriteAsync(host, i * sizeof(int), 0, sizeof(int), stream);
        stream.Synchronize();

        Assert.Equal(100, target.ToArray<int>()[0]);
    }

    [Fact]
    public void EventElapsedTime_AroundQueuedWork_IsPositiveAndOrdered()
    {
        using var device = Device.Open();
        using var stream = device.CreateStream();
        using var start = DeviceEvent.Create(device);
        using var end = DeviceEvent.Create(device);
        using var a = device.Allocate(32L << 20);
        using var b = device.Allocate(32L << 20);

        stream.Record(start);
        for (var i = 0; i < 8; i++)
            b.CopyFromAsync(a, 0, 0, a.Size, stream);
        stream.Record(end);
        end.Synchronize();

        var ms = DeviceEvent.ElapsedMilliseconds(start, end);
        Assert.True(ms > 0, $"elapsed {ms} ms");
        Assert.True(DeviceEvent.ElapsedMilliseconds(end, start) <= 0);
    }
}
