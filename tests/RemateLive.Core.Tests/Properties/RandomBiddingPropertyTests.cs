using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Increments;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Properties;

/// <summary>
/// Thousands of random bid sequences (many bidders, proxies, reserves, buy-now, soft close, every
/// increment kind) against the aggregate, checking its invariants after every decision. Seeded, so a
/// failure names the seed and auction that reproduce it.
/// </summary>
public sealed class RandomBiddingPropertyTests
{
    private const int AuctionsPerSeed = 300;
    private const int RequestsPerAuction = 40;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(1_234)]
    [InlineData(99_991)]
    [InlineData(20_260_101)]
    public void Invariants_hold_for_random_bid_sequences(int seed)
    {
        var random = new Random(seed);
        var accepted = 0;
        for (var n = 0; n < AuctionsPerSeed; n++)
        {
            accepted += RunOne(random, $"seed {seed}, auction {n}");
        }

        // The generator must exercise acceptance, not only rejections.
        Assert.True(accepted > AuctionsPerSeed * 5, $"Only {accepted} bids were accepted.");
    }

    private static int RunOne(Random random, string where)
    {
        var initial = RandomAuction(random);
        var auction = Load(initial);
        var bidders = Enumerable.Range(0, random.Next(2, 9)).Select(_ => UserId.New()).ToArray();
        var maxima = new Dictionary<UserId, (Money Max, int Since)>();
        var now = Start.AddSeconds(-random.Next(0, 120));
        var accepted = 0;
        Money? lastAmount = null;

        for (var i = 0; i < RequestsPerAuction; i++)
        {
            now = now.AddSeconds(random.Next(0, 90));
            var before = auction.State;
            var minimum = auction.MinimumNextBid;
            var pendingBefore = auction.PendingEvents.Count;
            var bidder = random.Next(25) == 0 ? Seller : bidders[random.Next(bidders.Length)];
            var request = RandomRequest(random, bidder, minimum);

            var decision = auction.PlaceBid(request, now);
            var produced = auction.PendingEvents.Skip(pendingBefore).ToList();

            if (!decision.Accepted)
            {
                Assert.True(ReferenceEquals(before, auction.State), $"{where}: a rejection changed the state.");
                Assert.Empty(produced);
                continue;
            }

            accepted++;
            var own = decision.Placed!;
            var after = auction.State;
            Assert.True(after.CurrentPrice > (before.CurrentPrice ?? Money.Zero), $"{where}: the price did not rise.");
            if (own.Bid.Kind == BidKind.BuyNow)
            {
                Assert.Equal(before.BuyNowPrice, own.Bid.Amount);
                Assert.Equal(AuctionStatus.Closed, after.Status);
                Assert.Equal(bidder, after.WinnerId);
            }
            else
            {
                Assert.True(own.Bid.Amount >= minimum, $"{where}: bid {own.Bid.Amount} below the minimum {minimum}.");
                Assert.True(own.Bid.Amount >= request.Amount, $"{where}: the bid went below what was asked.");
            }

            // seq: contiguous from the version the decision was made on; version = last seq.
            Assert.Equal(Enumerable.Range(1, produced.Count).Select(k => before.Version + k), produced.Select(e => e.Seq));
            Assert.Equal(produced[^1].Seq, after.Version);
            foreach (var placed in produced.OfType<BidPlaced>())
            {
                Assert.True(lastAmount is null || placed.Bid.Amount > lastAmount, $"{where}: amounts must strictly increase in seq order.");
                Assert.Equal(placed.Seq, placed.Bid.Seq);
                lastAmount = placed.Bid.Amount;
            }

            // Nobody is made to outbid themselves.
            var producedBids = produced.OfType<BidPlaced>().ToList();
            Assert.All(producedBids, p => Assert.NotEqual(p.Bid.BidderId, p.OutbidUserId));
            Assert.Equal(producedBids.Count, producedBids.Select(p => p.Bid.BidderId).Distinct().Count());

            var offered = request.MaxAmount ?? request.Amount;
            if (!maxima.TryGetValue(bidder, out var held) || offered > held.Max)
            {
                maxima[bidder] = (offered, i);
            }

            if (after.Status == AuctionStatus.Open)
            {
                var top = maxima.OrderByDescending(m => m.Value.Max).ThenBy(m => m.Value.Since).First();
                Assert.True(top.Key == after.LeaderId, $"{where}: the leader is not the holder of the highest maximum.");
                Assert.True(after.CurrentPrice <= top.Value.Max, $"{where}: the price passed the leader's maximum.");
            }

            Assert.Equal(after.ReservePrice is { } r ? after.CurrentPrice >= r : null, auction.ReserveMet);
            if (after.Status == AuctionStatus.Closed)
            {
                break;
            }
        }

        if (auction.State.Status == AuctionStatus.Open || auction.State.Status == AuctionStatus.Scheduled)
        {
            Assert.Null(auction.Close(CloseReason.Ended, auction.State.EndsAt));
        }

        Assert.NotNull(auction.Close(CloseReason.Admin, auction.State.EndsAt));
        var closes = auction.PendingEvents.OfType<AuctionClosed>().ToList();
        var close = Assert.Single(closes);
        Assert.Equal(auction.State.ReservePrice is not { } reserve || auction.State.CurrentPrice >= reserve ? auction.State.LeaderId : null, close.WinnerId);
        AssertReplayReproduces(initial, auction, where);
        return accepted;
    }

    // Folding the events over the initial state must give the final state (all but the secret maximum).
    private static void AssertReplayReproduces(AuctionState initial, Auction auction, string where)
    {
        var state = initial;
        var bids = 0;
        foreach (var e in auction.PendingEvents)
        {
            Assert.Equal(state.Version + 1, e.Seq);
            state = e switch
            {
                BidPlaced p => state with
                {
                    Status = AuctionStatus.Open,
                    CurrentPrice = p.Bid.Amount,
                    BidCount = ++bids,
                    LeaderId = p.Bid.BidderId,
                    LeaderName = p.Bid.BidderName,
                    LeaderPaddle = p.Bid.Paddle,
                    LeaderMax = auction.State.LeaderMax,
                    Version = p.Seq,
                },
                AuctionExtended x => state with { EndsAt = x.EndsAt, Extensions = x.Extensions, Version = x.Seq },
                AuctionClosed c => state with { Status = AuctionStatus.Closed, WinnerId = c.WinnerId, WinnerName = c.WinnerName, WinnerPaddle = c.WinnerPaddle, ClosedAt = c.OccurredAt, Version = c.Seq },
                AuctionCancelled c => state with { Status = AuctionStatus.Cancelled, ClosedAt = c.OccurredAt, Version = c.Seq },
                _ => throw new InvalidOperationException(e.GetType().Name),
            };

            if (e is BidPlaced placed)
            {
                Assert.Equal(bids, placed.BidCount);
                var replayed = Load(state);
                Assert.Equal(replayed.MinimumNextBid, placed.MinNextBid);
                Assert.Equal(replayed.ReserveMet, placed.ReserveMet);
                Assert.Equal(replayed.BuyNowOffered, placed.BuyNowPrice);
            }
        }

        Assert.True(auction.State == (state with { Increment = auction.State.Increment }), $"{where}: replaying the events does not reproduce the state.");
    }

    private static AuctionState RandomAuction(Random random)
    {
        var start = random.Next(1, 20_000);
        IncrementRule increment = random.Next(3) switch
        {
            0 => IncrementRule.Fixed(random.Next(1, 500)),
            1 => IncrementRule.Percent(random.Next(1, 2_000)),
            _ => IncrementRule.Tiered(new IncrementTier(0, random.Next(1, 50)), new IncrementTier(5_000, random.Next(50, 200)), new IncrementTier(50_000, random.Next(200, 2_000))),
        };
        long? reserve = random.Next(2) == 0 ? start + random.Next(0, 50_000) : null;
        long? buyNow = random.Next(3) == 0 ? Math.Max(start, reserve ?? 0) + random.Next(1, 80_000) : null;
        SoftClosePolicy? soft = random.Next(2) == 0 ? new SoftClosePolicy(random.Next(10, 300), random.Next(10, 300), random.Next(0, 5)) : null;
        return State(start, increment, reserve, buyNow, soft) with
        {
            EndsAt = Start.AddMinutes(random.Next(5, 30)),
            Status = random.Next(4) == 0 ? AuctionStatus.Scheduled : AuctionStatus.Open,
        };
    }

    private static BidRequest RandomRequest(Random random, UserId bidder, Money minimum)
    {
        var amount = random.Next(10) switch
        {
            0 => Math.Max(1, minimum.Cents - random.Next(1, 500)), // too low
            1 => minimum.Cents + random.Next(0, 20_000),          // a jump
            _ => minimum.Cents + random.Next(0, 300),
        };
        long? max = random.Next(3) == 0 ? amount + random.Next(0, 30_000) : null;
        return Bid(bidder, amount, max);
    }
}
