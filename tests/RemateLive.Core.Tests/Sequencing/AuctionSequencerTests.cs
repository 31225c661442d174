using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.InMemory;
using RemateLive.Ports;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Sequencing;

public sealed class AuctionSequencerTests
{
    [Fact]
    public async Task Bids_queued_behind_a_commit_are_decided_in_order_and_committed_together()
    {
        var store = new GatedStore(new InMemoryAuctionStore(TimeProvider.System));
        var h = new Harness(store: store);
        var auction = await h.AddAsync(State());
        store.Hold();
        var first = h.BidAsync(auction, UserId.New(), 1_000); // its commit waits at the gate
        await store.Entered.Task;

        // 50 bids arrive while the first commit is in flight: amounts rise, so arrival order decides them all.
        var queued = Enumerable.Range(1, 50).Select(i => h.BidAsync(auction, UserId.New(), 1_000 + (i * 100), key: $"k{i}")).ToList();
        var low = h.BidAsync(auction, UserId.New(), 1_050); // too low once the first is in: rejected, no key, no store write
        store.Release();
        var outcomes = await Task.WhenAll(queued.Prepend(first));

        Assert.All(outcomes, o => Assert.True(o.Accepted, o.Error?.Message));
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), outcomes.Select(o => o.Placed!.Seq));
        Assert.Equal(ErrorCodes.BidTooLow, (await low).Error!.Code);
        Assert.Equal(2, store.Appends); // one commit for the first bid, one for the 50 behind it
        Assert.Equal(51, (await h.EventsAsync(auction.Id)).Count);
        Assert.All(Enumerable.Range(1, 50), i => Assert.NotNull(h.Store.FindOutcomeAsync(auction.Id, outcomes[i].Placed!.Bid.BidderId, $"k{i}").Result));
    }

    [Fact]
    public async Task A_bid_that_arrived_before_the_hammer_is_decided_before_it()
    {
        var store = new GatedStore(new InMemoryAuctionStore(TimeProvider.System));
        var h = new Harness(store: store);
        var auction = await h.AddAsync(State());
        store.Hold();
        var opening = h.BidAsync(auction, UserId.New(), 1_000);
        await store.Entered.Task;

        var bid = h.BidAsync(auction, UserId.New(), 2_000);
        var close = h.CloseAuction.ExecuteAsync(auction.Id, CloseReason.Admin);
        var late = h.BidAsync(auction, UserId.New(), 3_000);
        store.Release();

        Assert.True((await opening).Accepted);
        var accepted = await bid;
        Assert.True(accepted.Accepted);
        Assert.True((await close).Succeeded);
        Assert.Equal(ErrorCodes.AuctionClosed, (await late).Error!.Code);
        var closed = Assert.IsType<AuctionClosed>((await h.EventsAsync(auction.Id))[^1]);
        Assert.Equal(accepted.Placed!.Bid.BidderId, closed.WinnerId);
    }

    [Fact]
    public async Task A_full_queue_answers_rate_limited_at_once_and_remembers_nothing()
    {
        var store = new GatedStore(new InMemoryAuctionStore(TimeProvider.System));
        var h = new Harness(store: store, options: new BiddingOptions { WriterQueueCapacity = 4 });
        var auction = await h.AddAsync(State());
        store.Hold();
        var inFlight = h.BidAsync(auction, UserId.New(), 1_000);
        await store.Entered.Task;

        var queued = Enumerable.Range(1, 4).Select(i => h.BidAsync(auction, UserId.New(), 1_000 + (i * 100))).ToList();
        var bea = UserId.New();
        var refused = await h.BidAsync(auction, bea, 9_000, key: "busy");

        Assert.Equal(ErrorCodes.RateLimited, refused.Error!.Code);
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        store.Release();
        await Task.WhenAll(queued.Append(inFlight));
        Assert.Null(await h.Store.FindOutcomeAsync(auction.Id, bea, "busy")); // a retry with the key is decided afresh
        Assert.Equal(5, (await h.EventsAsync(auction.Id)).Count);
    }

    [Fact]
    public async Task Idle_writers_are_dropped_and_ten_thousand_quiet_auctions_hold_no_writer()
    {
        var h = new Harness(options: new BiddingOptions { WriterIdleTimeout = TimeSpan.FromSeconds(30) });
        var auctions = new List<AuctionState>();
        for (var i = 0; i < 10_000; i++)
        {
            auctions.Add(await h.AddAsync(State()));
        }

        var outcomes = await Task.WhenAll(auctions.Select(a => h.BidAsync(a, UserId.New(), 1_000)));
        Assert.All(outcomes, o => Assert.True(o.Accepted));
        Assert.Equal(10_000, h.Sequencer.ActiveWriters);

        // Two sweeps: the first may find writers used less than a timeout ago.
        h.Time.Advance(TimeSpan.FromSeconds(31));
        h.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(0, h.Sequencer.ActiveWriters);

        // A dropped writer comes back on demand with the stored state.
        Assert.True((await h.BidAsync(auctions[0], UserId.New(), 1_100)).Accepted);
        Assert.Equal(1, h.Sequencer.ActiveWriters);
    }

    [Fact]
    public async Task Unknown_auctions_leave_no_writer_behind()
    {
        var h = new Harness();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(ErrorCodes.NotFound, (await h.PlaceBid.ExecuteAsync(new(AuctionId.New(), UserId.New(), "x", 1_000))).Error!.Code);
        }

        await WaitUntilAsync(() => h.Sequencer.ActiveWriters == 0);
    }

    [Fact]
    public async Task Two_nodes_on_one_store_never_lose_or_duplicate_a_bid()
    {
        var store = new InMemoryAuctionStore(TimeProvider.System);
        var a = new Harness(store: store);
        var b = new Harness(store: store);
        var auction = await a.AddAsync(State());
        var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var node = i % 2 == 0 ? a : b;
            var bidder = UserId.New();
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var min = Load((await store.GetAuctionAsync(auction.Id))!).MinimumNextBid.Cents;
                var outcome = await node.BidAsync(auction, bidder, min + (i % 3 * 100), key: $"k{i}-{attempt}");
                if (outcome.Accepted)
                {
                    return outcome;
                }
            }

            return null;
        })).ToList();
        var accepted = (await Task.WhenAll(tasks)).Where(o => o is not null).ToList();

        var events = await a.EventsAsync(auction.Id);
        Assert.NotEmpty(accepted);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.All(accepted, o => Assert.Single(events.OfType<BidPlaced>(), p => p.Bid.Id == o!.Placed!.Bid.Id));
        var amounts = events.OfType<BidPlaced>().Select(p => p.Bid.Amount.Cents).ToList();
        Assert.True(amounts.Zip(amounts.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public async Task An_extension_made_by_another_node_is_not_mistaken_for_the_end()
    {
        var store = new InMemoryAuctionStore(TimeProvider.System);
        var a = new Harness(store: store);
        var b = new Harness(store: store);
        var auction = await a.AddAsync(State(softClose: new SoftClosePolicy(120, 300, 5)));
        Assert.True((await a.BidAsync(auction, UserId.New(), 1_000)).Accepted); // node A caches ends_at = End

        b.Time.SetUtcNow(End.AddSeconds(-60));
        Assert.True((await b.BidAsync(auction, UserId.New(), 1_100)).Accepted); // node B extends to End + 5 min

        // Past the old end by A's clock: A must not answer "closed" from its older state.
        a.Time.SetUtcNow(End.AddSeconds(30));
        var outcome = await a.BidAsync(auction, UserId.New(), 1_200);

        Assert.True(outcome.Accepted, outcome.Error?.Message);
    }

    [Fact]
    public async Task A_store_failure_acknowledges_nothing_and_the_next_bid_reloads()
    {
        var store = new GatedStore(new InMemoryAuctionStore(TimeProvider.System));
        var h = new Harness(store: store);
        var auction = await h.AddAsync(State());
        store.FailNext = true;

        await Assert.ThrowsAsync<IOException>(() => h.BidAsync(auction, UserId.New(), 1_000));
        Assert.Empty(await h.EventsAsync(auction.Id));

        Assert.Equal(1, (await h.BidAsync(auction, UserId.New(), 1_000)).Placed!.Seq);
    }

    [Fact]
    public async Task The_same_key_twice_in_one_batch_makes_one_bid_and_one_outcome()
    {
        var store = new GatedStore(new InMemoryAuctionStore(TimeProvider.System));
        var h = new Harness(store: store);
        var auction = await h.AddAsync(State());
        var ana = UserId.New();
        store.Hold();
        var opening = h.BidAsync(auction, UserId.New(), 1_000);
        await store.Entered.Task;

        var first = h.BidAsync(auction, ana, 2_000, key: "same");
        var retry = h.BidAsync(auction, ana, 2_000, key: "same");
        store.Release();
        await opening;

        Assert.True((await first).Accepted);
        Assert.True((await retry).Replayed);
        Assert.Equal((await first).Placed, (await retry).Placed);
        Assert.Single((await h.EventsAsync(auction.Id)).OfType<BidPlaced>(), p => p.Bid.BidderId == ana);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    // Pure-logic double: appends can be held at a gate (to queue commands behind a commit) or fail once.
    private sealed class GatedStore(IAuctionStore inner) : DelegatingStore(inner)
    {
        private TaskCompletionSource _gate = Open();

        public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Appends { get; private set; }

        public bool FailNext { get; set; }

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public override async Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default)
        {
            Appends++;
            Entered.TrySetResult();
            await _gate.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("The store is down.");
            }

            return await Inner.AppendAsync(commit, cancellationToken);
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }
    }
}
