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

    [Fact]
    public async Task AdmitAsync_WhenFull_TakesThePlaceThatFreesWithinTheWait()
    {
        using var scheduler = new RequestScheduler(concurrentSequences: 1, queueLength: 0);
        var running = scheduler.TryAdmit()!;
        var arriving = scheduler.AdmitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(arriving.IsCompleted);

        running.Dispose();
        using var admitted = await arriving;

        Assert.NotNull(admitted);
        Assert.Null(scheduler.TryAdmit());   // the freed place went to the waiter, not to a later arrival
    }

    [Fact]
    public async Task AdmitAsync_WhenNothingFrees_IsRefusedAfterTheWait_AndAtOnceWithoutOne()
    {
        using var scheduler = new RequestScheduler(concurrentSequences: 1, queueLength: 0);
        using var running = scheduler.TryAdmit()!;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Null(await scheduler.AdmitAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(90), $"refused after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Null(await scheduler.AdmitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task AdmitAsync_NoMoreWaitForAPlaceThanTheServerHolds_TheRestAreRefusedAfterTheWait()
    {
        using var scheduler = new RequestScheduler(concurrentSequences: 1, queueLength: 1);
        using var running = scheduler.TryAdmit()!;
        using var queued = scheduler.TryAdmit()!;
        using var stop = new CancellationTokenSource();
        var waiters = new[] { scheduler.AdmitAsync(TimeSpan.FromMinutes(1), stop.Token), scheduler.AdmitAsync(TimeSpan.FromMinutes(1), stop.Token) };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var third = scheduler.AdmitAsync(TimeSpan.FromMilliseconds(100), stop.Token);

        Assert.Equal(2, scheduler.WaitingForPlace);   // the third does not wait for a place
        Assert.Null(await third);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(90), $"refused after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        await stop.CancelAsync();
        foreach (var waiter in waiters)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.Equal((0, 2, 0), (scheduler.Running, scheduler.Waiting, scheduler.WaitingForPlace));
    }
}
