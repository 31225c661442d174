using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.UseCases;

public sealed class CloseCancelAndQueriesTests
{
    private readonly Harness _h = new();
    private readonly UserId _ana = UserId.New();

    [Fact]
    public async Task The_closer_closes_due_auctions_on_the_injected_clock()
    {
        var early = await _h.AddAsync(State() with { EndsAt = Start.AddMinutes(10) });
        var late = await _h.AddAsync(State());
        await _h.BidAsync(early, _ana, 1_500);

        Assert.Equal(0, await _h.Closer.CloseDueAsync());

        _h.Time.SetUtcNow(Start.AddMinutes(10));
        Assert.Equal(1, await _h.Closer.CloseDueAsync());
        Assert.Equal(0, await _h.Closer.CloseDueAsync());

        var closed = await _h.StateAsync(early.Id);
        Assert.Equal(AuctionStatus.Closed, closed.Status);
        Assert.Equal(_ana, closed.WinnerId);
        Assert.Equal(CloseReason.Ended, Assert.IsType<AuctionClosed>((await _h.EventsAsync(early.Id))[^1]).Reason);
        Assert.Equal(AuctionStatus.Open, (await _h.StateAsync(late.Id)).Status);

        _h.Time.SetUtcNow(End);
        Assert.Equal(1, await _h.Closer.CloseDueAsync());
        Assert.Null((await _h.StateAsync(late.Id)).WinnerId);
    }

    [Fact]
    public async Task The_closer_runs_on_its_timer()
    {
        var auction = await _h.AddAsync(State() with { EndsAt = Start.AddMinutes(2) });
        _h.Time.SetUtcNow(Start.AddMinutes(2));
        await _h.Closer.StartAsync(CancellationToken.None);
        try
        {
            // ExecuteAsync starts on the thread pool, so the timer may not exist yet: tick until it fires.
            var events = await WaitForAsync(
                () =>
                {
                    _h.Time.Advance(_h.Options.CloserInterval);
                    return _h.EventsAsync(auction.Id);
                },
                e => e.Count == 1);
            Assert.IsType<AuctionClosed>(Assert.Single(events));
        }
        finally
        {
            await _h.Closer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_timed_close_before_the_end_is_refused()
    {
        var auction = await _h.AddAsync(State());
        var result = await _h.CloseAuction.ExecuteAsync(auction.Id, CloseReason.Ended);
        Assert.Equal(ErrorCodes.AuctionNotOpen, result.Error!.Code);
        Assert.Empty(await _h.EventsAsync(auction.Id));
    }

    [Fact]
    public async Task Admin_close_and_cancel_happen_once_and_are_published()
    {
        var auction = await _h.AddAsync(State());
        var cancelled = await _h.AddAsync(State());

        var close = await _h.CloseAuction.ExecuteAsync(auction.Id);
        var again = await _h.CloseAuction.ExecuteAsync(auction.Id);
        var cancel = await _h.CancelAuction.ExecuteAsync(cancelled.Id, "  Fraud  ");
        var unknown = await _h.CancelAuction.ExecuteAsync(AuctionId.New(), "x");

        Assert.True(close.Succeeded);
        Assert.Equal(AuctionStatus.Closed, close.Auction!.Status);
        Assert.Equal(ErrorCodes.AuctionClosed, again.Error!.Code);
        Assert.Single(await _h.EventsAsync(auction.Id));
        Assert.Equal("Fraud", Assert.IsType<AuctionCancelled>(Assert.Single(await _h.EventsAsync(cancelled.Id))).Reason);
        Assert.Equal(AuctionStatus.Cancelled, (await _h.StateAsync(cancelled.Id)).Status);
        Assert.Equal(ErrorCodes.NotFound, unknown.Error!.Code);
        Assert.Equal(ErrorCodes.AuctionClosed, (await _h.BidAsync(cancelled, _ana, 9_000)).Error!.Code);
    }

    [Fact]
    public async Task Eight_racing_closers_close_once()
    {
        var auction = await _h.AddAsync(State());
        _h.Time.SetUtcNow(End);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _h.CloseAuction.ExecuteAsync(auction.Id, CloseReason.Ended))));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(await _h.EventsAsync(auction.Id));
    }

    [Fact]
    public async Task Queries_page_bids_and_events_and_filter_by_effective_status()
    {
        var open = await _h.AddAsync(State());
        var scheduled = await _h.AddAsync(State() with { Status = AuctionStatus.Scheduled, StartsAt = Start.AddMinutes(30) });
        var startedScheduled = await _h.AddAsync(State() with { Status = AuctionStatus.Scheduled });
        for (var i = 0; i < 6; i++)
        {
            await _h.BidAsync(open, i % 2 == 0 ? _ana : UserId.New(), 1_000 + (i * 100));
        }

        var bids = await _h.Queries.GetBidsAsync(open.Id, null, 4);
        Assert.Equal(new long[] { 6, 5, 4, 3 }, bids!.Select(b => b.Seq));
        Assert.Equal(new long[] { 2, 1 }, (await _h.Queries.GetBidsAsync(open.Id, 3, 4))!.Select(b => b.Seq));
        Assert.Equal(new long[] { 5, 6 }, (await _h.Queries.GetEventsSinceAsync(open.Id, 4, 100))!.Select(e => e.Seq));
        Assert.Equal(new long[] { 1 }, (await _h.Queries.GetEventsSinceAsync(open.Id, -3, 0))!.Select(e => e.Seq)); // limit clamps to 1, seq to 0
        Assert.Null(await _h.Queries.GetBidsAsync(AuctionId.New(), null, 10));
        Assert.Null(await _h.Queries.GetEventsSinceAsync(AuctionId.New(), 0, 10));
        Assert.Null(await _h.Queries.GetAuctionAsync(AuctionId.New()));
        Assert.Equal(1_500, (await _h.Queries.GetAuctionAsync(open.Id))!.CurrentPriceCents);

        var openIds = (await _h.Queries.ListAuctionsAsync(AuctionStatus.Open)).Select(v => v.Id).ToList();
        Assert.Contains(open.Id, openIds);
        Assert.Contains(startedScheduled.Id, openIds);
        Assert.DoesNotContain(scheduled.Id, openIds);
        Assert.Equal(3, (await _h.Queries.ListAuctionsAsync()).Count);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        // Waits for work the fake clock already released to a thread-pool thread; bounded, not a timer.
        for (var i = 0; i < 500; i++)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Yield();
            await Task.Delay(10);
        }

        return await read();
    }
}
