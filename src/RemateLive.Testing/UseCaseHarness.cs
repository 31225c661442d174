using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive.Testing;

// The real use cases over the store under test (one node: one sequencer), with in-memory bus and cache (not what is being tested).
internal sealed class UseCaseHarness
{
    public UseCaseHarness(IAuctionStore store, TimeProvider time, int maxCommitAttempts = 1_000)
    {
        var options = new BiddingOptions { MaxCommitAttempts = maxCommitAttempts };
        var strategies = BidIncrementStrategies.BuiltIn;
        var bus = new InMemoryEventBus();
        var feed = new AuctionFeed(store, bus, options, time, NullLogger<AuctionFeed>.Instance);
        var publisher = new AuctionPublisher(feed, bus, NullLogger<AuctionPublisher>.Instance);
        var sequencer = new AuctionSequencer(store, strategies, publisher, options, time);
        PlaceBid = new PlaceBid(sequencer, store, options);
        CloseAuction = new CloseAuction(sequencer);
    }

    public PlaceBid PlaceBid { get; }

    public CloseAuction CloseAuction { get; }
}
