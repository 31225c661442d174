using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class BidRulesTests
{
    private static readonly DateTimeOffset Now = Start.AddMinutes(1);
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    [Fact]
    public void Bids_are_accepted_only_inside_the_window()
    {
        var state = State();
        AssertRejected(Load(state), Bid(_ana, 1_000), Start.AddTicks(-1), ErrorCodes.AuctionNotOpen);
        AssertRejected(Load(state), Bid(_ana, 1_000), End, ErrorCodes.AuctionClosed);
        AssertRejected(Load(state), Bid(_ana, 1_000), End.AddHours(1), ErrorCodes.AuctionClosed);
        Assert.True(Load(state).PlaceBid(Bid(_ana, 1_000), Start).Accepted);
        Assert.True(Load(state).PlaceBid(Bid(_ana, 1_000), End.AddTicks(-1)).Accepted);
    }

    [Fact]
    public void A_scheduled_auction_opens_at_its_start()
    {
        var state = State() with { Status = AuctionStatus.Scheduled };
        var auction = Load(state);
        Assert.Equal(AuctionStatus.Scheduled, auction.EffectiveStatus(Start.AddTicks(-1)));
        Assert.Equal(AuctionStatus.Open, auction.EffectiveStatus(Start));
        AssertRejected(auction, Bid(_ana, 1_000), Start.AddSeconds(-1), ErrorCodes.AuctionNotOpen);

        Assert.True(auction.PlaceBid(Bid(_ana, 1_000), Start).Accepted);
        Assert.Equal(AuctionStatus.Open, auction.State.Status);
    }

    [Fact]
    public void Closed_and_cancelled_auctions_refuse_bids()
    {
        AssertRejected(Load(State() with { Status = AuctionStatus.Closed }), Bid(_ana, 5_000), Now, ErrorCodes.AuctionClosed);
        var cancelled = Load(State() with { Status = AuctionStatus.Cancelled });
        var decision = cancelled.PlaceBid(Bid(_ana, 5_000), Now);
        Assert.Equal(ErrorCodes.AuctionClosed, decision.Error!.Code);
        Assert.Contains("cancelled", decision.Error.Message);
    }

    [Fact]
    public void The_seller_cannot_bid()
    {
        AssertRejected(Load(State()), Bid(Seller, 5_000), Now, ErrorCodes.SellerCannotBid);
    }

    [Fact]
    public void The_first_bid_must_reach_the_starting_price_and_later_ones_the_minimum()
    {
        var auction = Load(State());
        Assert.Equal(1_000, auction.MinimumNextBid.Cents);
        AssertRejected(auction, Bid(_ana, 999), Now, ErrorCodes.BidTooLow);

        var first = auction.PlaceBid(Bid(_ana, 1_000), Now);
        Assert.True(first.Accepted);
        Assert.Equal(1_000, first.Placed!.Bid.Amount.Cents);
        Assert.Equal(1_100, first.Placed.MinNextBid.Cents);
        Assert.Equal(1, first.Placed.Seq);
        Assert.Equal(BidKind.Manual, first.Placed.Bid.Kind);

        AssertRejected(auction, Bid(_ben, 1_099), Now, ErrorCodes.BidTooLow);
        var second = auction.PlaceBid(Bid(_ben, 1_100), Now);
        Assert.True(second.Accepted);
        Assert.Equal(_ana, second.Placed!.OutbidUserId);
        Assert.Equal(2, auction.State.Version);
        Assert.Equal(2, auction.State.BidCount);
        Assert.Equal(_ben, auction.State.LeaderId);
    }

    [Fact]
    public void Non_positive_amounts_and_a_maximum_below_the_amount_are_invalid()
    {
        AssertRejected(Load(State()), Bid(_ana, 0), Now, ErrorCodes.InvalidAmount);
        AssertRejected(Load(State()), Bid(_ana, 2_000, max: 1_500), Now, ErrorCodes.InvalidAmount);
    }

    [Fact]
    public void A_rejection_changes_nothing()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000), Now);
        var before = auction.State;

        Assert.False(auction.PlaceBid(Bid(_ben, 1_050), Now).Accepted);

        Assert.Same(before, auction.State);
        Assert.Single(auction.PendingEvents);
    }

    [Fact]
    public void The_view_shows_the_public_state()
    {
        var auction = Load(State(reserve: 3_000, buyNow: 9_000) with { Status = AuctionStatus.Scheduled });
        var before = auction.ToView(Start.AddSeconds(-1));
        Assert.Equal(AuctionStatus.Scheduled, before.Status);
        Assert.Equal(1_000, before.CurrentPriceCents);
        Assert.Equal(1_000, before.MinNextBidCents);
        Assert.Null(before.LeaderName);
        Assert.False(before.ReserveMet);
        Assert.Equal(9_000, before.BuyNowPriceCents);

        auction.PlaceBid(Bid(_ana, 1_200), Now);
        var after = auction.ToView(Now);
        Assert.Equal(AuctionStatus.Open, after.Status);
        Assert.Equal(1_200, after.CurrentPriceCents);
        Assert.Equal(1_300, after.MinNextBidCents);
        Assert.Equal(Name(_ana), after.LeaderName);
        Assert.Equal(1, after.Version);
        Assert.Equal(Now, after.ServerTime);
    }

    private static void AssertRejected(Auction auction, BidRequest request, DateTimeOffset at, string code)
    {
        var version = auction.State.Version;
        var decision = auction.PlaceBid(request, at);
        Assert.False(decision.Accepted);
        Assert.Null(decision.Placed);
        Assert.Equal(code, decision.Error!.Code);
        Assert.Equal(version, auction.State.Version);
    }
}
