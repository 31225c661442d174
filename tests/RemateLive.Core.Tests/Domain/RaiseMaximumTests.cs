using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Serialization;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class RaiseMaximumTests
{
    private static readonly DateTimeOffset Now = Start.AddMinutes(1);
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    private static BidRequest Raise(UserId bidder, long max, string? key = null) =>
        new(bidder, Name(bidder), Money.FromCents(max), Money.FromCents(max), key, Paddle: 1, RaisesMaximumOnly: true);

    [Fact]
    public void The_leader_raises_the_maximum_without_moving_the_price()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 2_000), Now);

        var decision = auction.PlaceBid(Raise(_ana, 5_000, "k"), Now);

        Assert.True(decision.Accepted);
        Assert.Null(decision.Placed);
        var raised = Assert.IsType<MaximumRaised>(auction.PendingEvents[^1]);
        Assert.Same(raised, decision.Raised);
        Assert.Equal((2L, 5_000L, "k"), (raised.Seq, raised.Maximum.Cents, raised.IdempotencyKey));
        Assert.Equal(1_000, auction.State.CurrentPrice!.Value.Cents);
        Assert.Equal(1, auction.State.BidCount);
        Assert.Equal(2, auction.State.Version);
        Assert.Equal(5_000, auction.State.LeaderMax!.Value.Cents);
    }

    [Fact]
    public void The_raised_maximum_defends_the_lead_against_a_bid_above_the_old_one()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 2_000), Now);
        auction.PlaceBid(Raise(_ana, 5_000), Now);

        var ben = auction.PlaceBid(Bid(_ben, 3_000), Now);

        Assert.True(ben.Accepted);
        Assert.Equal(_ana, auction.State.LeaderId);
        Assert.Equal(3_100, auction.State.CurrentPrice!.Value.Cents); // the proxy answers one increment above
    }

    [Fact]
    public void Only_the_leader_may_raise_and_only_upwards()
    {
        var auction = Load(State());
        Assert.Equal(ErrorCodes.NotLeading, auction.PlaceBid(Raise(_ana, 5_000), Now).Error!.Code); // nobody leads yet
        auction.PlaceBid(Bid(_ana, 1_000, max: 2_000), Now);

        Assert.Equal(ErrorCodes.NotLeading, auction.PlaceBid(Raise(_ben, 9_000), Now).Error!.Code);
        Assert.Equal(ErrorCodes.MaxTooLow, auction.PlaceBid(Raise(_ana, 2_000), Now).Error!.Code);
        Assert.Equal(ErrorCodes.MaxTooLow, auction.PlaceBid(Raise(_ana, 1_500), Now).Error!.Code);
        Assert.Single(auction.PendingEvents); // refusals change nothing
        Assert.Equal(2_000, auction.State.LeaderMax!.Value.Cents);
    }

    [Fact]
    public void A_leader_without_a_maximum_raises_above_the_price()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000), Now);

        Assert.Equal(ErrorCodes.MaxTooLow, auction.PlaceBid(Raise(_ana, 1_000), Now).Error!.Code);
        Assert.True(auction.PlaceBid(Raise(_ana, 1_001), Now).Accepted);
    }

    [Fact]
    public void Closed_ended_or_unstarted_auctions_refuse_a_raise_like_a_bid()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000), Now);
        Assert.Equal(ErrorCodes.AuctionNotOpen, auction.PlaceBid(Raise(_ana, 5_000), Start.AddSeconds(-1)).Error!.Code);
        Assert.Equal(ErrorCodes.AuctionClosed, auction.PlaceBid(Raise(_ana, 5_000), End).Error!.Code);
        auction.Close(CloseReason.Admin, Now);
        Assert.Equal(ErrorCodes.AuctionClosed, auction.PlaceBid(Raise(_ana, 5_000), Now).Error!.Code);
    }

    [Fact]
    public void Reaching_an_unmet_reserve_lifts_the_price_to_it_as_a_proxy_bid()
    {
        var auction = Load(State(reserve: 4_000));
        auction.PlaceBid(Bid(_ana, 1_000, max: 2_000), Now);

        var decision = auction.PlaceBid(Raise(_ana, 5_000, "k"), Now);

        Assert.Null(decision.Raised);
        Assert.Equal((4_000L, BidKind.Proxy, "k"), (decision.Placed!.Bid.Amount.Cents, decision.Placed.Bid.Kind, decision.Placed.IdempotencyKey));
        Assert.True(auction.ReserveMet);
        Assert.Equal(_ana, auction.State.LeaderId);
        Assert.Equal(5_000, auction.State.LeaderMax!.Value.Cents);
    }

    [Fact]
    public void The_event_round_trips_through_storage_json()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000), Now);
        var raised = auction.PlaceBid(Raise(_ana, 5_000, "k"), Now).Raised!;

        var json = RemateJson.SerializeEvent(raised);

        Assert.Equal("max_raised", RemateJson.TypeName(raised));
        Assert.Equal(raised, RemateJson.DeserializeEvent(json));
    }
}
