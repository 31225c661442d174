using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Serialization;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class ReserveAndBuyNowTests
{
    private static readonly DateTimeOffset Now = Start.AddMinutes(1);
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    [Fact]
    public void Reserve_met_is_null_without_a_reserve_and_flips_once_reached()
    {
        Assert.Null(Load(State()).PlaceBid(Bid(_ana, 1_000), Now).Placed!.ReserveMet);

        var auction = Load(State(reserve: 5_432));
        Assert.False(auction.ToView(Now).ReserveMet);
        Assert.False(auction.PlaceBid(Bid(_ana, 1_000), Now).Placed!.ReserveMet);
        Assert.True(auction.PlaceBid(Bid(_ben, 5_432), Now).Placed!.ReserveMet);
        Assert.True(auction.ToView(Now).ReserveMet);
    }

    [Fact]
    public void The_reserve_amount_stays_secret()
    {
        var auction = Load(State(reserve: 5_432));
        auction.PlaceBid(Bid(_ana, 1_000), Now);
        auction.PlaceBid(Bid(_ben, 2_000), Now);

        var published = string.Join("\n", auction.PendingEvents.Select(RemateJson.SerializeEvent))
            + System.Text.Json.JsonSerializer.Serialize(auction.ToView(Now), RemateJson.Options);

        Assert.DoesNotContain("5432", published);
        Assert.Contains("\"reserve_met\":false", published);
    }

    [Fact]
    public void A_maximum_reaching_the_reserve_lifts_the_price_to_it()
    {
        var auction = Load(State(reserve: 5_000));

        var placed = auction.PlaceBid(Bid(_ana, 1_000, max: 6_000), Now).Placed!;

        Assert.Equal(5_000, placed.Bid.Amount.Cents);
        Assert.Equal(BidKind.Proxy, placed.Bid.Kind);
        Assert.True(placed.ReserveMet);
    }

    [Fact]
    public void Buy_now_is_offered_until_the_first_bid_without_a_reserve()
    {
        var auction = Load(State(buyNow: 9_000));
        Assert.Equal(9_000, auction.ToView(Now).BuyNowPriceCents);

        var first = auction.PlaceBid(Bid(_ana, 1_000), Now).Placed!;

        Assert.Null(first.BuyNowPrice);
        Assert.Null(auction.ToView(Now).BuyNowPriceCents);
        var regular = auction.PlaceBid(Bid(_ben, 9_000), Now).Placed!;
        Assert.Equal(BidKind.Manual, regular.Bid.Kind);
        Assert.Equal(AuctionStatus.Open, auction.State.Status);
    }

    [Fact]
    public void Buy_now_is_offered_until_the_reserve_is_met()
    {
        var auction = Load(State(reserve: 5_000, buyNow: 9_000));
        Assert.Equal(9_000, auction.PlaceBid(Bid(_ana, 1_000), Now).Placed!.BuyNowPrice!.Value.Cents);
        Assert.Null(auction.PlaceBid(Bid(_ben, 5_000), Now).Placed!.BuyNowPrice);
        Assert.Null(auction.ToView(Now).BuyNowPriceCents);
    }

    [Fact]
    public void A_buy_now_bid_closes_the_auction_at_the_buy_now_price()
    {
        var auction = Load(State(reserve: 5_000, buyNow: 9_000));
        auction.PlaceBid(Bid(_ana, 1_000, max: 4_000), Now);

        var buy = auction.PlaceBid(Bid(_ben, 9_500), Now).Placed!;

        Assert.Equal(9_000, buy.Bid.Amount.Cents);
        Assert.Equal(BidKind.BuyNow, buy.Bid.Kind);
        Assert.Equal(_ana, buy.OutbidUserId);
        var closed = Assert.IsType<AuctionClosed>(auction.PendingEvents[^1]);
        Assert.Equal(CloseReason.BuyNow, closed.Reason);
        Assert.Equal(_ben, closed.WinnerId);
        Assert.Equal(9_000, closed.FinalPrice!.Value.Cents);
        Assert.True(closed.ReserveMet);
        Assert.Equal(AuctionStatus.Closed, auction.State.Status);
        Assert.Equal(_ben, auction.State.WinnerId);
        Assert.Equal(new[] { 1L, 2L, 3L }, auction.PendingEvents.Select(e => e.Seq).ToArray());
        Assert.Equal(ErrorCodes.AuctionClosed, auction.PlaceBid(Bid(_ana, 20_000), Now).Error!.Code);
    }

    [Fact]
    public void The_leader_buying_now_outbids_nobody()
    {
        var auction = Load(State(reserve: 5_000, buyNow: 9_000));
        auction.PlaceBid(Bid(_ana, 1_000), Now);

        var buy = auction.PlaceBid(Bid(_ana, 9_000), Now).Placed!;

        Assert.Equal(BidKind.BuyNow, buy.Bid.Kind);
        Assert.Null(buy.OutbidUserId);
        Assert.Equal(_ana, auction.State.WinnerId);
    }
}
