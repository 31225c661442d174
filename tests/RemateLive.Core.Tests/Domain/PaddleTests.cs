using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Domain;

public sealed class PaddleTests
{
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    [Fact]
    public void Bids_proxy_answers_and_the_winner_carry_the_bidders_paddles()
    {
        var auction = Load(State());
        var now = Start.AddMinutes(1);
        Assert.True(auction.PlaceBid(new BidRequest(_ana, "Ana", Money.FromCents(1_000), Money.FromCents(5_000), Paddle: 7), now).Accepted);
        Assert.True(auction.PlaceBid(new BidRequest(_ben, "Ana", Money.FromCents(2_000), Paddle: 8), now).Accepted); // same display name, other bidder

        var bids = auction.PendingEvents.OfType<BidPlaced>().Select(p => p.Bid).ToList();
        Assert.Equal(new[] { 7, 8, 7 }, bids.Select(b => b.Paddle)); // Ben's bid, then Ana's proxy answer under her paddle
        Assert.Equal(7, auction.State.LeaderPaddle);
        Assert.Equal(7, auction.ToView(now).LeaderPaddle);

        Assert.Null(auction.Close(CloseReason.Admin, now));
        Assert.Equal(7, Assert.IsType<AuctionClosed>(auction.PendingEvents[^1]).WinnerPaddle);
        Assert.Equal(7, auction.ToView(now).WinnerPaddle);
    }

    [Fact]
    public void An_anonymous_auction_never_records_a_bidders_name()
    {
        var auction = Load(State() with { AnonymousBidding = true });
        var now = Start.AddMinutes(1);
        Assert.True(auction.PlaceBid(new BidRequest(_ana, "Ana Real", Money.FromCents(1_000), Money.FromCents(5_000), Paddle: 1), now).Accepted);
        Assert.True(auction.PlaceBid(new BidRequest(_ben, "Ben Real", Money.FromCents(2_000), Paddle: 2), now).Accepted);
        Assert.Null(auction.Close(CloseReason.Admin, now));

        Assert.Equal(new[] { "Paddle 1", "Paddle 2", "Paddle 1" }, auction.PendingEvents.OfType<BidPlaced>().Select(p => p.Bid.BidderName));
        Assert.Equal("Paddle 1", auction.State.LeaderName);
        Assert.Equal("Paddle 1", Assert.IsType<AuctionClosed>(auction.PendingEvents[^1]).WinnerName);
        Assert.True(auction.ToView(now).AnonymousBidding);
    }

    [Fact]
    public async Task Each_bidder_gets_one_paddle_per_auction_in_order_of_their_first_bid()
    {
        var h = new Harness();
        var first = await h.AddAsync(State());
        var second = await h.AddAsync(State());

        var a1 = await h.BidAsync(first, _ana, 1_000);
        var b1 = await h.BidAsync(first, _ben, 1_100);
        var a2 = await h.BidAsync(first, _ana, 1_200);
        var b2 = await h.BidAsync(second, _ben, 1_000);

        Assert.Equal(1, a1.Placed!.Bid.Paddle);
        Assert.Equal(2, b1.Placed!.Bid.Paddle);
        Assert.Equal(1, a2.Placed!.Bid.Paddle);
        Assert.Equal(1, b2.Placed!.Bid.Paddle); // numbers are per auction
        Assert.Equal(2, await h.Store.FindPaddleAsync(first.Id, _ben));
        Assert.Null(await h.Store.FindPaddleAsync(second.Id, _ana));
    }
}
