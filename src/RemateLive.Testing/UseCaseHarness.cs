using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.Testing;

// The real use cases over the store under test, with in-memory bus and cache (not what is being tested).
internal sealed class UseCaseHarness
{
    public UseCaseHarness(IAuctionStore store, TimeProvider time, int maxCommitAttempts = 1_000)
    {
        var options = new BiddingOptions { MaxCommitAttempts = maxCommitAttempts };
        var strategies = BidIncrementStrategies.BuiltIn;
        var bus = new InMemoryEventBus();
        var cache = new InMemoryAuctionCache();
        var feed = new AuctionFeed(store, bus, options, time, NullLogger<AuctionFeed>.Instance);
        var publisher = new AuctionPublisher(feed, bus, cache, strategies, time, NullLogger<AuctionPublisher>.Instance);
        PlaceBid = new PlaceBid(store, cache, strategies, publisher, options, time);
        CloseAuction = new CloseAuction(store, strategies, publisher, options, time);
    }

    public PlaceBid PlaceBid { get; }

    public CloseAuction CloseAuction { get; }
}
