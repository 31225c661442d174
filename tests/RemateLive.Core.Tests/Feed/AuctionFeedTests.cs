using System.Collections.Concurrent;
using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Feed;
using RemateLive.Ports;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Feed;

public sealed class AuctionFeedTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task A_subscriber_gets_only_events_committed_after_it_subscribed()
    {
        var auction = await _h.AddAsync(State());
        await BidsAsync(auction, 3);
        var listener = new Listener();

        await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);
        Assert.Empty(listener.Seqs); // catching up is the room's job (it reads the store)

        await BidsAsync(auction, 2);
        Assert.Equal(new long[] { 4, 5 }, listener.Seqs);
    }

    [Fact]
    public async Task Duplicates_are_dropped()
    {
        var auction = await _h.AddAsync(State());
        var listener = new Listener();
        await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);
        await BidsAsync(auction, 2);
        var events = await _h.EventsAsync(auction.Id);

        await _h.Feed.DeliverAsync(events);          // the bus echoes the local commit
        await _h.Feed.DeliverAsync([events[1], events[0]]);

        Assert.Equal(new long[] { 1, 2 }, listener.Seqs);
    }

    [Fact]
    public async Task Holes_left_by_the_bus_are_filled_from_the_store_in_order()
    {
        var auction = await _h.AddAsync(State());
        var listener = new Listener();
        await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);
        await BidsAsync(auction, 1);

        // Another node commits seq 2..4; the bus loses 2 and 3 and delivers 4.
        var committed = await CommitElsewhereAsync(auction.Id, 3);
        await _h.Feed.DeliverAsync([committed[^1]]);

        Assert.Equal(new long[] { 1, 2, 3, 4 }, listener.Seqs);
        Assert.Equal(await _h.EventsAsync(auction.Id), listener.Events);
    }

    [Fact]
    public async Task Catch_up_delivers_what_the_bus_never_sent()
    {
        var auction = await _h.AddAsync(State());
        var listener = new Listener();
        await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);

        await CommitElsewhereAsync(auction.Id, 2);
        Assert.Empty(listener.Seqs);
        await _h.Feed.CatchUpAsync();

        Assert.Equal(new long[] { 1, 2 }, listener.Seqs);
    }

    [Fact]
    public async Task The_catch_up_timer_runs_on_the_injected_clock()
    {
        var auction = await _h.AddAsync(State());
        var listener = new Listener();
        await _h.Feed.StartAsync(CancellationToken.None);
        try
        {
            await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);
            await CommitElsewhereAsync(auction.Id, 1);

            _h.Time.Advance(_h.Options.GapCheckInterval);

            Assert.True(await listener.WaitForAsync(1), "The periodic catch-up should deliver seq 1.");
        }
        finally
        {
            await _h.Feed.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Bus_traffic_reaches_listeners_and_own_presence_is_not_echoed()
    {
        var auction = await _h.AddAsync(State());
        var listener = new Listener();
        await _h.Feed.StartAsync(CancellationToken.None);
        try
        {
            await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);
            var committed = await CommitElsewhereAsync(auction.Id, 2);

            await _h.Bus.PublishAsync(committed);
            await _h.Bus.PublishPresenceAsync(new PresenceNotice(auction.Id, "ana", "Ana", true, 1, "other-node"));
            await _h.Bus.PublishPresenceAsync(new PresenceNotice(auction.Id, "ben", "Ben", true, 2, _h.Feed.NodeId));
            await _h.Feed.DeliverPresenceAsync(new PresenceNotice(auction.Id, "cai", "Cai", true, 3, _h.Feed.NodeId));

            Assert.Equal(new long[] { 1, 2 }, listener.Seqs);
            Assert.Equal(new[] { "ana", "cai" }, listener.Presence.Select(p => p.Username));
        }
        finally
        {
            await _h.Feed.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Unsubscribed_listeners_get_nothing_and_a_failing_listener_does_not_starve_others()
    {
        var auction = await _h.AddAsync(State());
        var leaving = new Listener();
        var good = new Listener();
        var subscription = await _h.Feed.SubscribeAsync(auction.Id, leaving);
        await using var a = await _h.Feed.SubscribeAsync(auction.Id, new ThrowingListener());
        await using var b = await _h.Feed.SubscribeAsync(auction.Id, good);

        await BidsAsync(auction, 1);
        await subscription.DisposeAsync();
        await subscription.DisposeAsync(); // idempotent
        await BidsAsync(auction, 1);

        Assert.Equal(new long[] { 1 }, leaving.Seqs);
        Assert.Equal(new long[] { 1, 2 }, good.Seqs);
    }

    [Fact]
    public async Task A_channel_is_recreated_after_the_last_listener_left()
    {
        var auction = await _h.AddAsync(State());
        var first = await _h.Feed.SubscribeAsync(auction.Id, new Listener());
        await first.DisposeAsync();
        await BidsAsync(auction, 2); // nobody watches: not delivered, not remembered

        var listener = new Listener();
        await using var _ = await _h.Feed.SubscribeAsync(auction.Id, listener);
        await BidsAsync(auction, 1);

        Assert.Equal(new long[] { 3 }, listener.Seqs); // the fresh channel starts at the stored version
    }

    [Fact]
    public async Task A_store_that_cannot_fill_a_hole_does_not_hang_the_feed()
    {
        var h = new Harness(store: new SkippingStore(new RemateLive.InMemory.InMemoryAuctionStore(TimeProvider.System)));
        var auction = await h.AddAsync(State());
        var listener = new Listener();
        await using var _ = await h.Feed.SubscribeAsync(auction.Id, listener);
        var committed = new List<AuctionEvent>();
        for (var i = 0; i < 3; i++)
        {
            var decided = Load(await h.StateAsync(auction.Id));
            decided.PlaceBid(Bid(UserId.New(), decided.MinimumNextBid.Cents), h.Time.GetUtcNow());
            await h.Store.AppendAsync(new AuctionCommit(decided.State, decided.LoadedVersion, decided.PendingEvents, []));
            committed.AddRange(decided.PendingEvents);
        }

        var delivery = h.Feed.DeliverAsync([committed[^1]]);

        Assert.Same(delivery, await Task.WhenAny(delivery, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Empty(listener.Seqs); // seq 3 is held back: never delivered out of order
    }

    // Pure-logic double: a broken store whose event reads always skip the first event asked for.
    private sealed class SkippingStore(IAuctionStore inner) : DelegatingStore(inner)
    {
        public override async Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
            [.. (await Inner.GetEventsAsync(auctionId, afterSeq, limit, cancellationToken)).Skip(1)];
    }

    [Fact]
    public async Task Listeners_joining_during_a_bidding_storm_see_every_later_seq_exactly_once_in_order()
    {
        var h = new Harness(options: new BiddingOptions { MaxCommitAttempts = 1_000 });
        var auction = await h.AddAsync(State());
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bidding = Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            await start.Task;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var min = Load(await h.StateAsync(auction.Id)).MinimumNextBid.Cents;
                if ((await h.BidAsync(auction, UserId.New(), min + (i % 3 * 100))).Accepted)
                {
                    return;
                }
            }
        })).ToList();
        var joining = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await Task.Yield();
            var listener = new Listener();
            return (Listener: listener, Subscription: await h.Feed.SubscribeAsync(auction.Id, listener));
        })).ToList();
        start.SetResult();
        await Task.WhenAll(bidding);
        var joined = await Task.WhenAll(joining);

        var last = (await h.StateAsync(auction.Id)).Version;
        Assert.True(last > 50, $"Only {last} events were committed.");
        foreach (var (listener, subscription) in joined)
        {
            // From wherever it joined, a listener sees every later seq up to the last, once, in order.
            var seqs = listener.Seqs.ToList();
            var from = seqs.Count == 0 ? last + 1 : seqs[0];
            Assert.Equal(Enumerable.Range((int)from, (int)(last - from + 1)).Select(k => (long)k), seqs);
            await subscription.DisposeAsync();
        }
    }

    private async Task BidsAsync(AuctionState auction, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var state = await _h.StateAsync(auction.Id);
            var min = Load(state).MinimumNextBid.Cents;
            Assert.True((await _h.BidAsync(auction, UserId.New(), min)).Accepted);
        }
    }

    // Commits straight to the store, as another node would, without telling this node's feed.
    private async Task<List<AuctionEvent>> CommitElsewhereAsync(AuctionId id, int count)
    {
        var events = new List<AuctionEvent>();
        for (var i = 0; i < count; i++)
        {
            var auction = Load(await _h.StateAsync(id));
            Assert.True(auction.PlaceBid(Bid(UserId.New(), auction.MinimumNextBid.Cents), _h.Time.GetUtcNow()).Accepted);
            Assert.Equal(AppendStatus.Committed, (await _h.Store.AppendAsync(new AuctionCommit(auction.State, auction.LoadedVersion, auction.PendingEvents, []))).Status);
            events.AddRange(auction.PendingEvents);
        }

        return events;
    }

    private sealed class Listener : IAuctionFeedListener
    {
        private readonly ConcurrentQueue<AuctionEvent> _events = new();
        private readonly ConcurrentQueue<PresenceNotice> _presence = new();
        private readonly SemaphoreSlim _signal = new(0);

        public List<AuctionEvent> Events => [.. _events];

        public long[] Seqs => [.. _events.Select(e => e.Seq)];

        public List<PresenceNotice> Presence => [.. _presence];

        public ValueTask OnEventAsync(AuctionEvent auctionEvent)
        {
            _events.Enqueue(auctionEvent);
            _signal.Release();
            return ValueTask.CompletedTask;
        }

        public ValueTask OnPresenceAsync(PresenceNotice notice)
        {
            _presence.Enqueue(notice);
            return ValueTask.CompletedTask;
        }

        public async Task<bool> WaitForAsync(int count)
        {
            while (_events.Count < count)
            {
                if (!await _signal.WaitAsync(TimeSpan.FromSeconds(10)))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class ThrowingListener : IAuctionFeedListener
    {
        public ValueTask OnEventAsync(AuctionEvent auctionEvent) => throw new InvalidOperationException("broken socket");

        public ValueTask OnPresenceAsync(PresenceNotice notice) => throw new InvalidOperationException("broken socket");
    }
}
