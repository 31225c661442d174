using System.Diagnostics;
using RemateLive.Diagnostics;
using RemateLive.Domain;

namespace RemateLive.Core.Tests.Diagnostics;

/// <summary>Nobody listening to the <c>RemateLive</c> source: the writer's span helpers allocate nothing (the hot path stays as it was).</summary>
public sealed class UntracedCostTests
{
    [Fact]
    public void Span_helpers_return_null_without_allocating_when_nobody_listens()
    {
        Assert.False(CoreTracing.Source.HasListeners()); // no test of this project listens
        var id = AuctionId.New();
        List<int> batch = [1, 2, 3];
        Run(id, batch); // JIT first

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Run(id, batch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Run(AuctionId id, List<int> batch)
    {
        using var decide = CoreTracing.StartBatch(id, batch, static _ => new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded));
        using var commit = CoreTracing.StartCommit(id, 3);
        using var publish = CoreTracing.StartPublish(id, 3);
        Assert.Null(decide);
        Assert.Null(commit);
        Assert.Null(publish);
    }
}
