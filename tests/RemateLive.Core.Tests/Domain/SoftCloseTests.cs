using RemateLive.Domain;
using RemateLive.Events;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class SoftCloseTests
{
    private static readonly SoftClosePolicy Policy = new(WindowSeconds: 60, ExtensionSeconds: 30, MaxExtensions: 2);
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    [Fact]
    public void A_bid_before_the_window_does_not_extend()
    {
        var auction = Load(State(softClose: Policy));
        auction.PlaceBid(Bid(_ana, 1_000), End.AddSeconds(-61));

        Assert.Equal(End, auction.State.EndsAt);
        Assert.Single(auction.PendingEvents);
    }

    [Fact]
    public void A_bid_inside_the_window_extends_the_end()
    {
        var auction = Load(State(softClose: Policy));
        var placed = auction.PlaceBid(Bid(_ana, 1_000), End.AddSeconds(-60)).Placed!;

        Assert.Equal(End, placed.EndsAt); // the bid reports the end it was placed against
        var extended = Assert.IsType<AuctionExtended>(auction.PendingEvents[^1]);
        Assert.Equal(2, extended.Seq);
        Assert.Equal(End.AddSeconds(30), extended.EndsAt);
        Assert.Equal(1, extended.Extensions);
        Assert.Equal(End.AddSeconds(30), auction.State.EndsAt);
        Assert.Equal(2, auction.State.Version);
        Assert.Equal(1, auction.ToView(End).Extensions);

        // Bidding is open in the extra time.
        Assert.True(auction.PlaceBid(Bid(_ben, 1_100), End.AddSeconds(10)).Accepted);
    }

    [Fact]
    public void At_most_max_extensions()
    {
        var auction = Load(State(softClose: Policy));
        var bidders = new[] { _ana, _ben };
        for (var i = 0; i < 5; i++)
        {
            var at = auction.State.EndsAt.AddSeconds(-1);
            Assert.True(auction.PlaceBid(Bid(bidders[i % 2], auction.MinimumNextBid.Cents), at).Accepted);
        }

        Assert.Equal(2, auction.PendingEvents.OfType<AuctionExtended>().Count());
        Assert.Equal(2, auction.State.Extensions);
        Assert.Equal(End.AddSeconds(60), auction.State.EndsAt);
    }

    [Fact]
    public void A_proxy_exchange_extends_once()
    {
        var auction = Load(State(softClose: Policy));
        auction.PlaceBid(Bid(_ana, 1_000, max: 5_000), End.AddMinutes(-10));

        auction.PlaceBid(Bid(_ben, 1_100), End.AddSeconds(-5));

        Assert.Single(auction.PendingEvents.OfType<AuctionExtended>());
        Assert.IsType<AuctionExtended>(auction.PendingEvents[^1]);
    }

    [Fact]
    public void Rejected_bids_never_extend()
    {
        var auction = Load(State(softClose: Policy));
        auction.PlaceBid(Bid(_ana, 1_000), End.AddMinutes(-10));

        Assert.False(auction.PlaceBid(Bid(_ben, 1_000), End.AddSeconds(-5)).Accepted);
        Assert.False(auction.PlaceBid(Bid(Seller, 9_000), End.AddSeconds(-5)).Accepted);

        Assert.Equal(End, auction.State.EndsAt);
        Assert.Empty(auction.PendingEvents.OfType<AuctionExtended>());
    }

    [Fact]
    public void A_buy_now_inside_the_window_closes_without_extending()
    {
        var auction = Load(State(buyNow: 9_000, softClose: Policy));

        auction.PlaceBid(Bid(_ana, 9_000), End.AddSeconds(-5));

        Assert.Empty(auction.PendingEvents.OfType<AuctionExtended>());
        Assert.Equal(AuctionStatus.Closed, auction.State.Status);
    }
}
