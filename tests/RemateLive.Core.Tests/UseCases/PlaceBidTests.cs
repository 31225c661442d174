using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.InMemory;
using RemateLive.Ports;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.UseCases;

public sealed class PlaceBidTests
{
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    [Theory]
    [InlineData(0L, null)]
    [InlineData(-5L, null)]
    [InlineData(Money.DefaultCeilingCents + 1, null)]
    [InlineData(long.MaxValue, null)]
    [InlineData(2_000L, 1_999L)]
    [InlineData(2_000L, Money.DefaultCeilingCents + 1)]
    public async Task Amounts_outside_the_ceiling_are_invalid(long amount, long? max)
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());

        var outcome = await h.BidAsync(auction, _ana, amount, max);

        Assert.Equal(ErrorCodes.InvalidAmount, outcome.Error!.Code);
        Assert.Empty(await h.EventsAsync(auction.Id));
    }

    [Fact]
    public async Task The_ceiling_is_configurable()
    {
        var h = new Harness(options: new BiddingOptions { MaxAmountCents = 5_000 });
        var auction = await h.AddAsync(State());
        Assert.Equal(ErrorCodes.InvalidAmount, (await h.BidAsync(auction, _ana, 5_001)).Error!.Code);
        Assert.True((await h.BidAsync(auction, _ana, 5_000)).Accepted);
    }

    [Fact]
    public async Task An_accepted_bid_is_committed_and_answered_with_the_new_state()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());

        var outcome = await h.BidAsync(auction, _ana, 1_200);

        Assert.True(outcome.Accepted);
        Assert.False(outcome.Replayed);
        Assert.Equal(1_200, outcome.Auction!.CurrentPriceCents);
        Assert.Equal(outcome.Committed, await h.EventsAsync(auction.Id));
        Assert.Equal(1_300, outcome.Auction.MinNextBidCents);
        Assert.Equal(1, (await h.StateAsync(auction.Id)).Version);
    }

    [Fact]
    public async Task Unknown_auctions_are_not_found()
    {
        var h = new Harness();
        var outcome = await h.PlaceBid.ExecuteAsync(new(AuctionId.New(), _ana, "ana", 1_000, IdempotencyKey: "k"));
        Assert.Equal(ErrorCodes.NotFound, outcome.Error!.Code);
        Assert.Null(outcome.Auction);
    }

    [Fact]
    public async Task A_stale_client_version_is_fine_while_the_amount_is_valid()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        for (var i = 0; i < 5; i++)
        {
            await h.BidAsync(auction, i % 2 == 0 ? _ana : _ben, 1_000 + (i * 100));
        }

        var outcome = await h.BidAsync(auction, _ana, 5_000, version: 0);

        Assert.True(outcome.Accepted);
        Assert.Equal(6, outcome.Placed!.Seq);
    }

    [Fact]
    public async Task The_same_key_returns_the_same_accepted_bid_and_never_a_second_one()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        var first = await h.BidAsync(auction, _ana, 1_500, key: "k-1");

        var retry = await h.BidAsync(auction, _ana, 1_500, key: "k-1");
        var changed = await h.BidAsync(auction, _ana, 9_000, key: "k-1"); // a retry may even differ: the first outcome stands

        Assert.True(retry.Replayed && changed.Replayed);
        Assert.Equal(first.Placed, retry.Placed);
        Assert.Equal(first.Placed, changed.Placed);
        Assert.Empty(retry.Committed);
        Assert.Single(await h.EventsAsync(auction.Id));
        Assert.Equal(1_500, retry.Auction!.CurrentPriceCents);
    }

    [Fact]
    public async Task The_same_key_returns_the_same_rejection_even_when_the_bid_would_now_pass()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        var first = await h.BidAsync(auction, _ana, 900, key: "k-1");
        Assert.Equal(ErrorCodes.BidTooLow, first.Error!.Code);

        var retry = await h.BidAsync(auction, _ana, 5_000, key: "k-1");

        Assert.True(retry.Replayed);
        Assert.Equal(first.Error, retry.Error);
        Assert.Empty(await h.EventsAsync(auction.Id));

        // Keys are per user: Ben's identical key is his own.
        Assert.True((await h.BidAsync(auction, _ben, 5_000, key: "k-1")).Accepted);
    }

    [Fact]
    public async Task Racing_retries_with_one_key_get_one_outcome_and_at_most_one_bid()
    {
        var h = new Harness(options: new BiddingOptions { MaxCommitAttempts = 1_000 });
        var auction = await h.AddAsync(State());
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            await start.Task;
            // Ana retries one bid 30 times while others bid around it.
            return (Ana: i % 2 == 0, Outcome: i % 2 == 0
                ? await h.BidAsync(auction, _ana, 3_000, key: "same")
                : await h.BidAsync(auction, UserId.New(), 1_000 + (i * 100)));
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);

        var anas = results.Where(r => r.Ana).Select(r => r.Outcome).ToList();
        Assert.Single(anas.Select(o => (o.Placed?.Bid.Id, o.Error?.Code)).Distinct());
        var anaBids = (await h.EventsAsync(auction.Id)).OfType<BidPlaced>().Count(p => p.Bid.BidderId == _ana && p.Bid.Kind == BidKind.Manual);
        Assert.Equal(anas[0].Accepted ? 1 : 0, anaBids);
        Assert.True(anas.Count(o => !o.Replayed) <= 1 || !anas[0].Accepted, "Only the first call may commit.");
    }

    [Fact]
    public async Task A_key_stored_by_another_node_replays_its_first_outcome()
    {
        // Another node decided this key first: this node's writer learns it from the store at commit.
        var h = new Harness();
        var auction = await h.AddAsync(State());
        var first = new BidOutcomeRecord(auction.Id, _ana, "k", null, ErrorCodes.AuctionNotOpen, "Not yet.", Start);
        Assert.Equal(AppendStatus.Committed, (await h.Store.AppendAsync(new AuctionCommit(auction, 0, [], [first]))).Status);

        var outcome = await h.BidAsync(auction, _ana, 5_000, key: "k");

        Assert.True(outcome.Replayed);
        Assert.Equal(new DomainError(ErrorCodes.AuctionNotOpen, "Not yet."), outcome.Error);
        Assert.Empty(await h.EventsAsync(auction.Id));
    }

    [Fact]
    public async Task Rejections_decided_on_the_writers_state_are_remembered_under_the_key_too()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        await h.BidAsync(auction, _ben, 3_000); // the writer now knows min 3100

        var low = await h.BidAsync(auction, _ana, 2_000, key: "k-2");
        Assert.Equal(ErrorCodes.BidTooLow, low.Error!.Code);

        var stored = await h.Store.FindOutcomeAsync(auction.Id, _ana, "k-2");
        Assert.Equal(ErrorCodes.BidTooLow, stored!.ErrorCode);
    }

    [Fact]
    public async Task A_closed_auction_rejects_bids()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        await h.BidAsync(auction, _ben, 1_000);
        await h.CloseAuction.ExecuteAsync(auction.Id, CloseReason.Admin);

        Assert.Equal(ErrorCodes.AuctionClosed, (await h.BidAsync(auction, _ana, 50_000)).Error!.Code);
        Assert.Equal(2, (await h.EventsAsync(auction.Id)).Count);
    }

    [Fact]
    public async Task The_store_clock_decides_the_deadline()
    {
        // The node's clock says "open", the store's clock says "ended": the store wins.
        var h = new Harness(store: new InMemoryAuctionStore(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(End.AddSeconds(1))));
        var auction = await h.AddAsync(State());

        var outcome = await h.BidAsync(auction, _ana, 1_000, key: "late");

        Assert.Equal(ErrorCodes.AuctionClosed, outcome.Error!.Code);
        Assert.Empty(await h.EventsAsync(auction.Id));
        Assert.Equal(ErrorCodes.AuctionClosed, (await h.Store.FindOutcomeAsync(auction.Id, _ana, "late"))!.ErrorCode);
    }

    [Fact]
    public async Task Conflicts_are_retried_on_the_current_state()
    {
        var store = new ConflictingStore(new InMemoryAuctionStore(TimeProvider.System), conflicts: 2);
        var h = new Harness(store: store, options: new BiddingOptions { MaxCommitAttempts = 3 });
        var auction = await h.AddAsync(State());

        var outcome = await h.BidAsync(auction, _ana, 1_000, key: "k");

        Assert.True(outcome.Accepted);
        Assert.Equal(3, store.Appends);
        Assert.Single(await h.EventsAsync(auction.Id));
    }

    [Fact]
    public async Task Concurrency_is_reported_only_when_retries_run_out_and_is_not_remembered()
    {
        var store = new ConflictingStore(new InMemoryAuctionStore(TimeProvider.System), conflicts: int.MaxValue);
        var h = new Harness(store: store, options: new BiddingOptions { MaxCommitAttempts = 4 });
        var auction = await h.AddAsync(State());

        var outcome = await h.BidAsync(auction, _ana, 1_000, key: "k");

        Assert.Equal(ErrorCodes.Concurrency, outcome.Error!.Code);
        Assert.Equal(4, store.Appends);
        Assert.Empty(await h.EventsAsync(auction.Id));
        Assert.Null(await h.Store.FindOutcomeAsync(auction.Id, _ana, "k"));
    }

    [Fact]
    public async Task Over_long_idempotency_keys_are_refused()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        var outcome = await h.BidAsync(auction, _ana, 1_000, key: new string('k', 129));
        Assert.Equal(ErrorCodes.ValidationFailed, outcome.Error!.Code);
        Assert.Empty(await h.EventsAsync(auction.Id));
    }

    [Fact]
    public async Task Five_hundred_concurrent_bidders_lose_nothing_and_duplicate_nothing()
    {
        var h = new Harness(options: new BiddingOptions { MaxCommitAttempts = 1_000 });
        var auction = await h.AddAsync(State(softClose: new SoftClosePolicy(60, 30, 3)));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 500).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var bidder = UserId.New();
            // Everyone bids on a fixed ladder, so many land and many lose races.
            var outcome = await h.BidAsync(auction, bidder, 1_000 + (i * 100), max: i % 5 == 0 ? 1_000 + (i * 100) + 250 : null, key: $"k{i}");
            return outcome;
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(tasks);

        var events = await h.EventsAsync(auction.Id);
        var placed = events.OfType<BidPlaced>().ToList();
        var accepted = outcomes.Where(o => o.Accepted).ToList();
        Assert.NotEmpty(accepted);
        Assert.All(outcomes.Where(o => !o.Accepted), o => Assert.Contains(o.Error!.Code, new[] { ErrorCodes.BidTooLow, ErrorCodes.Concurrency }));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.All(accepted, o => Assert.Equal(o.Placed, Assert.Single(placed, p => p.Bid.Id == o.Placed!.Bid.Id)));
        Assert.Equal(accepted.SelectMany(o => o.Committed).OrderBy(e => e.Seq), events);
        Assert.True(placed.Zip(placed.Skip(1)).All(p => p.Second.Bid.Amount > p.First.Bid.Amount));

        var final = await h.StateAsync(auction.Id);
        Assert.Equal(events[^1].Seq, final.Version);
        Assert.Equal(placed.Count, final.BidCount);
        Assert.Equal(placed[^1].Bid.Amount, final.CurrentPrice);
        Assert.Equal(placed[^1].Bid.BidderId, final.LeaderId);
    }

    // Pure-logic double: answers VersionConflict a number of times before delegating.
    private sealed class ConflictingStore(IAuctionStore inner, int conflicts) : DelegatingStore(inner)
    {
        private int _conflicts = conflicts;

        public int Appends { get; private set; }

        public override async Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default)
        {
            Appends++;
            if (_conflicts-- > 0)
            {
                return new AppendResult(AppendStatus.VersionConflict, await Inner.GetAuctionAsync(commit.State.Id, cancellationToken));
            }

            return await Inner.AppendAsync(commit, cancellationToken);
        }
    }
}
