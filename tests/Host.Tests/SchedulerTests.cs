using AscendAio.Host.Scheduling;

namespace AscendAio.Host.Tests;

public sealed class SchedulerTests
{
    [Fact]
    public async Task Admit_BeyondSlotsPlusQueue_IsRefused_AndALeavingRequestMakesRoom()
    {
        using var scheduler = new RequestScheduler(concurrentSequences: 2, queueLength: 1);
        var a = scheduler.TryAdmit()!;
        var b = scheduler.TryAdmit()!;
        await a.WaitAsync(CancellationToken.None);
        await b.WaitAsync(CancellationToken.None);
        var c = scheduler.TryAdmit()!;
        var waiting = c.WaitAsync(CancellationToken.None);

        Assert.Null(scheduler.TryAdmit());
        Assert.False(waiting.IsCompleted);
        Assert.Equal((2, 1), (scheduler.Running, scheduler.Waiting));

        a.Dispose();
        await waiting;
        Assert.Equal((2, 0), (scheduler.Running, scheduler.Waiting));
        var d = scheduler.TryAdmit();
        Assert.NotNull(d);
        d.Dispose();
        b.Dispose();
        c.Dispose();
        Assert.Equal((0, 0), (scheduler.Running, scheduler.Waiting));
    }

    [Fact]
    public async Task CancelledWhileQueued_LeavesTheQueueWithoutTakingASlot()
    {
        using var scheduler = new RequestScheduler(concurrentSequences: 1, queueLength: 1);
        using var running = scheduler.TryAdmit()!;
        await running.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var queued = scheduler.TryAdmit()!;
        var waiting = queued.WaitAsync(cancel.Token);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        queued.Dispose();

        Assert.Equal((1, 0), (scheduler.Running, scheduler.Waiting));
        Assert.NotNull(scheduler.TryAdmit());
    }
}
