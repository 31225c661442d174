using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive.Core.Tests.Support;

/// <summary>The real use cases over in-memory adapters and a fake clock at <see cref="TestAuctions.Start"/> + 1 min.</summary>
internal sealed class Harness
{
    public Harness(IAuctionStore? store = null, BiddingOptions? options = null, IAuctionEventBus? bus = null)
    {
        Time = new FakeTimeProvider(TestAuctions.Start.AddMinutes(1));
        Options = options ?? new BiddingOptions();
        Store = store ?? new InMemoryAuctionStore(Time);
        Bus = bus ?? new InMemoryEventBus();
        Feed = new AuctionFeed(Store, Bus, Options, Time, NullLogger<AuctionFeed>.Instance);
        Publisher = new AuctionPublisher(Feed, Bus, NullLogger<AuctionPublisher>.Instance);
        Sequencer = new AuctionSequencer(Store, Strategies, Publisher, Options, Time);
        PlaceBid = new PlaceBid(Sequencer, Store, Options);
        CreateAuction = new CreateAuction(Store, Strategies, Options, Time);
        CloseAuction = new CloseAuction(Sequencer);
        CancelAuction = new CancelAuction(Sequencer);
        Queries = new AuctionQueries(Store, Strategies, Time);
        Closer = new AuctionCloser(Store, CloseAuction, Options, Time, NullLogger<AuctionCloser>.Instance);
    }

    public FakeTimeProvider Time { get; }

    public BiddingOptions Options { get; }

    public BidIncrementStrategies Strategies { get; } = BidIncrementStrategies.BuiltIn;

    public IAuctionStore Store { get; }

    public IAuctionEventBus Bus { get; }

    public AuctionFeed Feed { get; }

    public AuctionPublisher Publisher { get; }

    public AuctionSequencer Sequencer { get; }

    public PlaceBid PlaceBid { get; }

    public CreateAuction CreateAuction { get; }

    public CloseAuction CloseAuction { get; }

    public CancelAuction CancelAuction { get; }

    public AuctionQueries Queries { get; }

    public AuctionCloser Closer { get; }

    public async Task<AuctionState> AddAsync(AuctionState state)
    {
        await Store.CreateAuctionAsync(state);
        return state;
    }

    public Task<BidOutcome> BidAsync(AuctionState auction, UserId bidder, long amount, long? max = null, string? key = null, long? version = null) =>
        PlaceBid.ExecuteAsync(new PlaceBidCommand(auction.Id, bidder, TestAuctions.Name(bidder), amount, max, version, key));

    public async Task<List<AuctionEvent>> EventsAsync(AuctionId id) => [.. await Store.GetEventsAsync(id, 0, 100_000)];

    public async Task<AuctionState> StateAsync(AuctionId id) => (await Store.GetAuctionAsync(id))!;
}
