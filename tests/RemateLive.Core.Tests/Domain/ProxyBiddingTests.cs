using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Serialization;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class ProxyBiddingTests
{
    private static readonly DateTimeOffset Now = Start.AddMinutes(1);
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();
    private readonly UserId _cai = UserId.New();

    [Fact]
    public void A_maximum_answers_a_lower_bid_with_just_one_increment_more()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 5_000), Now);

        var ben = auction.PlaceBid(Bid(_ben, 1_100), Now);

        Assert.True(ben.Accepted);
        Assert.Equal(1_100, ben.Placed!.Bid.Amount.Cents);
        var answer = Assert.IsType<BidPlaced>(auction.PendingEvents[^1]);
        Assert.Equal(3, answer.Seq);
        Assert.Equal(_ana, answer.Bid.BidderId);
        Assert.Equal(BidKind.Proxy, answer.Bid.Kind);
        Assert.Equal(1_200, answer.Bid.Amount.Cents); // min(5000, 1100 + 100)
        Assert.Equal(_ben, answer.OutbidUserId);
        Assert.Equal(_ana, auction.State.LeaderId);
        Assert.Equal(1_200, auction.State.CurrentPrice!.Value.Cents);
    }

    [Fact]
    public void The_answer_is_capped_at_the_maximum()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 1_150), Now);

        auction.PlaceBid(Bid(_ben, 1_100), Now);

        Assert.Equal(1_150, auction.State.CurrentPrice!.Value.Cents); // min(1150, 1200)
        Assert.Equal(_ana, auction.State.LeaderId);
    }

    [Fact]
    public void A_higher_maximum_takes_the_lead_paying_the_second_maximum_plus_one_increment()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 5_000), Now);

        var ben = auction.PlaceBid(Bid(_ben, 1_100, max: 8_000), Now);

        Assert.Equal(5_100, ben.Placed!.Bid.Amount.Cents);
        Assert.Equal(BidKind.Proxy, ben.Placed.Bid.Kind);
        Assert.Equal(_ana, ben.Placed.OutbidUserId);
        Assert.Equal(_ben, auction.State.LeaderId);
        Assert.Equal(2, auction.PendingEvents.Count);

        // The price never exceeds the top maximum.
        var cai = Load(State());
        cai.PlaceBid(Bid(_ana, 1_000, max: 5_000), Now);
        Assert.Equal(5_050, cai.PlaceBid(Bid(_cai, 1_100, max: 5_050), Now).Placed!.Bid.Amount.Cents);
    }

    [Fact]
    public void Nobody_is_made_to_outbid_themselves()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 5_000), Now);

        // The leader raising their maximum: one bid of their own, no proxy answer against themselves.
        var again = auction.PlaceBid(Bid(_ana, 1_100, max: 7_000), Now);

        Assert.True(again.Accepted);
        Assert.Null(again.Placed!.OutbidUserId);
        Assert.Equal(2, auction.PendingEvents.Count);
        Assert.Equal(7_000, auction.State.LeaderMax!.Value.Cents);

        // A lower maximum never lowers the leader's.
        auction.PlaceBid(Bid(_ana, 1_200, max: 1_200), Now);
        Assert.Equal(7_000, auction.State.LeaderMax!.Value.Cents);
        Assert.All(auction.PendingEvents.OfType<BidPlaced>(), p => Assert.Equal(_ana, p.Bid.BidderId));
    }

    [Fact]
    public void The_earliest_of_equal_maxima_wins()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 3_000), Now);

        var ben = auction.PlaceBid(Bid(_ben, 1_100, max: 3_000), Now);

        Assert.True(ben.Accepted);
        Assert.Equal(_ana, auction.State.LeaderId);
        Assert.Equal(3_000, auction.State.CurrentPrice!.Value.Cents);
        Assert.Equal(_ben, Assert.IsType<BidPlaced>(auction.PendingEvents[^1]).OutbidUserId);
    }

    [Fact]
    public void A_bid_equal_to_the_leaders_maximum_is_too_low()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 3_000), Now);

        var ben = auction.PlaceBid(Bid(_ben, 3_000), Now);

        Assert.Equal(ErrorCodes.BidTooLow, ben.Error!.Code);
        Assert.Equal(_ana, auction.State.LeaderId);
        Assert.Equal(1_000, auction.State.CurrentPrice!.Value.Cents);
        Assert.Single(auction.PendingEvents);
    }

    [Fact]
    public void Maxima_never_appear_in_events_or_views()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_000, max: 987_600), Now);
        auction.PlaceBid(Bid(_ben, 1_100, max: 456_700), Now);
        auction.PlaceBid(Bid(_cai, 500_000), Now);

        var published = string.Join("\n", auction.PendingEvents.Select(RemateJson.SerializeEvent))
            + System.Text.Json.JsonSerializer.Serialize(auction.ToView(Now), RemateJson.Options);

        Assert.Contains("500000", published);
        Assert.DoesNotContain("987600", published);
        Assert.DoesNotContain("456700", published);
        Assert.Equal(_ana, auction.State.LeaderId);
        Assert.Equal(500_100, auction.State.CurrentPrice!.Value.Cents);
    }
}
