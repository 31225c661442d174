using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive.Benchmarks;

/// <summary>
/// One hot in-memory auction, single-threaded: every bid is accepted (two bidders alternate at the
/// minimum next bid). <see cref="PlaceBidUseCase"/> is the full path a transport calls (validation,
/// idempotency lookup, cache fast path, decision, append, publish to feed, cache and bus);
/// <see cref="AuctionDecision"/> is the pure domain decision.
/// </summary>
[MemoryDiagnoser]
public class PlaceBidBenchmarks
{
    private const int BidsPerInvoke = 1_000;
    private const int BidsPerAuction = 50_000; // then a fresh store, so memory stays flat
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly UserId[] _bidders = [UserId.New(), UserId.New()];
    private PlaceBid _placeBid = null!;
    private AuctionId _auctionId;
    private long _amount;
    private int _bids;
    private AuctionState _state = null!;
    private IBidIncrementStrategy _fixed = null!;

    [GlobalSetup]
    public void Setup()
    {
        FreshAuction();
        _fixed = BidIncrementStrategies.BuiltIn.Get(FixedIncrement.KindName);
    }

    [Benchmark(OperationsPerInvoke = BidsPerInvoke)]
    public async Task PlaceBidUseCase()
    {
        if (_bids >= BidsPerAuction)
        {
            FreshAuction();
        }

        for (var i = 0; i < BidsPerInvoke; i++)
        {
            _amount += 100;
            var bidder = _bidders[_bids++ & 1];
            var outcome = await _placeBid.ExecuteAsync(new PlaceBidCommand(_auctionId, bidder, "bidder", _amount));
            if (!outcome.Accepted)
            {
                throw new InvalidOperationException($"Bid {_amount} was rejected: {outcome.Error?.Code}.");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = BidsPerInvoke)]
    public long AuctionDecision()
    {
        var state = _state;
        for (var i = 0; i < BidsPerInvoke; i++)
        {
            var auction = Auction.Load(state, _fixed);
            var decision = auction.PlaceBid(new BidRequest(_bidders[i & 1], "bidder", auction.MinimumNextBid), Now);
            if (!decision.Accepted)
            {
                throw new InvalidOperationException(decision.Error?.Code);
            }

            state = auction.State;
        }

        return state.Version;
    }

    private void FreshAuction()
    {
        var time = TimeProvider.System;
        var options = new BiddingOptions();
        var strategies = BidIncrementStrategies.BuiltIn;
        var store = new InMemoryAuctionStore(time);
        var bus = new InMemoryEventBus();
        var feed = new AuctionFeed(store, bus, options, time, NullLogger<AuctionFeed>.Instance);
        var publisher = new AuctionPublisher(feed, bus, NullLogger<AuctionPublisher>.Instance);
        _placeBid = new PlaceBid(new AuctionSequencer(store, strategies, publisher, options, time), store, options);

        var now = time.GetUtcNow();
        _state = new AuctionState
        {
            Id = AuctionId.New(),
            Title = "Benchmark lot",
            Currency = "USD",
            SellerId = UserId.New(),
            StartingPrice = Money.FromCents(100),
            Increment = IncrementRule.Fixed(100),
            StartsAt = now.AddMinutes(-1),
            EndsAt = now.AddYears(10),
            Status = AuctionStatus.Open,
            CreatedAt = now,
        };
        store.CreateAuctionAsync(_state).GetAwaiter().GetResult();
        _state = _state with { StartsAt = Now.AddMinutes(-1), EndsAt = Now.AddYears(10) };
        _auctionId = _state.Id;
        _amount = 0;
        _bids = 0;
    }
}
