using RemateLive.Domain;
using RemateLive.Events;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class CloseAndCancelTests
{
    private readonly UserId _ana = UserId.New();

    [Fact]
    public void A_timed_close_needs_the_end_to_have_passed()
    {
        var auction = Load(State());
        Assert.Equal(ErrorCodes.AuctionNotOpen, auction.Close(CloseReason.Ended, End.AddTicks(-1))!.Code);
        Assert.Empty(auction.PendingEvents);

        Assert.Null(auction.Close(CloseReason.Ended, End));
        var closed = Assert.IsType<AuctionClosed>(Assert.Single(auction.PendingEvents));
        Assert.Equal(CloseReason.Ended, closed.Reason);
        Assert.Null(closed.WinnerId);
        Assert.Null(closed.FinalPrice);
        Assert.Equal(AuctionStatus.Closed, auction.State.Status);
        Assert.Equal(End, auction.State.ClosedAt);
    }

    [Fact]
    public void Admin_actions_record_their_actor_and_older_events_read_back_without_one()
    {
        var admin = new AuctionActor(UserId.New(), "House admin");
        var closing = Load(State());
        var cancelling = Load(State());

        Assert.Null(closing.Close(CloseReason.Admin, Start.AddMinutes(1), admin));
        Assert.Null(cancelling.Cancel("Withdrawn", Start.AddMinutes(1), admin));

        Assert.Equal(admin, Assert.IsType<AuctionClosed>(Assert.Single(closing.PendingEvents)).Actor);
        var cancelled = Assert.IsType<AuctionCancelled>(Assert.Single(cancelling.PendingEvents));
        Assert.Equal(admin, cancelled.Actor);
        Assert.Equal(cancelled, RemateLive.Serialization.RemateJson.DeserializeEvent(RemateLive.Serialization.RemateJson.SerializeEvent(cancelled)));

        // Events stored before actors existed have no such field: they read back with a null actor.
        var old = RemateLive.Serialization.RemateJson.SerializeEvent(cancelled with { Actor = null }).Replace(",\"actor\":null", "", StringComparison.Ordinal);
        Assert.DoesNotContain("actor", old, StringComparison.Ordinal);
        Assert.Null(Assert.IsType<AuctionCancelled>(RemateLive.Serialization.RemateJson.DeserializeEvent(old)).Actor);
    }

    [Fact]
    public void An_admin_closes_at_any_time_with_the_leader_as_winner()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_500), Start.AddMinutes(1));

        Assert.Null(auction.Close(CloseReason.Admin, Start.AddMinutes(2)));

        var closed = Assert.IsType<AuctionClosed>(auction.PendingEvents[^1]);
        Assert.Equal(CloseReason.Admin, closed.Reason);
        Assert.Equal(_ana, closed.WinnerId);
        Assert.Equal(Name(_ana), closed.WinnerName);
        Assert.Equal(1_500, closed.FinalPrice!.Value.Cents);
        Assert.Equal(_ana, auction.State.WinnerId);
        Assert.Equal(Name(_ana), auction.ToView(End).WinnerName);
    }

    [Fact]
    public void No_winner_when_the_reserve_is_not_met()
    {
        var auction = Load(State(reserve: 5_000));
        auction.PlaceBid(Bid(_ana, 4_900), Start.AddMinutes(1));

        auction.Close(CloseReason.Ended, End);

        var closed = Assert.IsType<AuctionClosed>(auction.PendingEvents[^1]);
        Assert.Null(closed.WinnerId);
        Assert.False(closed.ReserveMet);
        Assert.Equal(4_900, closed.FinalPrice!.Value.Cents);
        Assert.Null(auction.State.WinnerId);
    }

    [Fact]
    public void Closing_and_cancelling_happen_once()
    {
        var auction = Load(State());
        Assert.Null(auction.Close(CloseReason.Admin, Start));
        Assert.Equal(ErrorCodes.AuctionClosed, auction.Close(CloseReason.Admin, Start)!.Code);
        Assert.Equal(ErrorCodes.AuctionClosed, auction.Cancel("late", Start)!.Code);
        Assert.Single(auction.PendingEvents);
    }

    [Fact]
    public void Cancel_ends_the_auction_without_a_winner()
    {
        var auction = Load(State());
        auction.PlaceBid(Bid(_ana, 1_500), Start.AddMinutes(1));

        Assert.Null(auction.Cancel("Counterfeit", Start.AddMinutes(2)));

        var cancelled = Assert.IsType<AuctionCancelled>(auction.PendingEvents[^1]);
        Assert.Equal("Counterfeit", cancelled.Reason);
        Assert.Equal(2, cancelled.Seq);
        Assert.Equal(AuctionStatus.Cancelled, auction.State.Status);
        Assert.Null(auction.State.WinnerId);
        Assert.Equal(ErrorCodes.AuctionClosed, auction.Cancel("again", Start.AddMinutes(3))!.Code);
        Assert.Equal(ErrorCodes.AuctionClosed, auction.Close(CloseReason.Admin, Start.AddMinutes(3))!.Code);
    }

    [Fact]
    public void Loading_with_the_wrong_strategy_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Auction.Load(State(), new RemateLive.Increments.PercentIncrement()));
    }
}
