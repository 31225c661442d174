using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.UseCases;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.Properties;

/// <summary>
/// Random bids through the PlaceBid use case (cache fast path, idempotency, store), with clients
/// retrying earlier keys at random: retries always get the first outcome, and the store's event log
/// holds exactly the accepted bids, in rising order.
/// </summary>
public sealed class RandomPlaceBidPropertyTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(2_026)]
    public async Task Retries_replay_the_first_outcome_and_the_log_holds_exactly_the_accepted_bids(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 40; n++)
        {
            var h = new Harness();
            var auction = await h.AddAsync(State(
                startingPrice: random.Next(1, 5_000),
                reserve: random.Next(2) == 0 ? random.Next(5_000, 20_000) : null,
                buyNow: random.Next(4) == 0 ? random.Next(20_000, 60_000) : null,
                softClose: new SoftClosePolicy(120, 60, 3)));
            var bidders = Enumerable.Range(0, 5).Select(_ => UserId.New()).ToArray();
            var sent = new List<(PlaceBidCommand Command, BidOutcome Outcome)>();

            for (var i = 0; i < 60; i++)
            {
                h.Time.Advance(TimeSpan.FromSeconds(random.Next(0, 60)));
                PlaceBidCommand command;
                if (sent.Count > 0 && random.Next(4) == 0)
                {
                    command = sent[random.Next(sent.Count)].Command; // a client retry
                    if (command.IdempotencyKey is null)
                    {
                        continue;
                    }
                }
                else
                {
                    var state = await h.StateAsync(auction.Id);
                    var min = Load(state).MinimumNextBid.Cents;
                    var amount = Math.Max(1, min + random.Next(-300, 2_000));
                    var bidder = bidders[random.Next(bidders.Length)];
                    command = new PlaceBidCommand(auction.Id, bidder, Name(bidder), amount,
                        random.Next(3) == 0 ? amount + random.Next(0, 5_000) : null,
                        random.Next(2) == 0 ? state.Version : random.Next(0, 5),
                        random.Next(3) == 0 ? null : $"key-{i}");
                }

                var outcome = await h.PlaceBid.ExecuteAsync(command);
                var first = sent.FirstOrDefault(s => s.Command.IdempotencyKey is not null && s.Command == command);
                if (first.Outcome is not null)
                {
                    Assert.True(outcome.Replayed, $"seed {seed}: a retry was decided again.");
                    Assert.Equal(first.Outcome.Placed, outcome.Placed);
                    Assert.Equal(first.Outcome.Error, outcome.Error);
                    Assert.Empty(outcome.Committed);
                }
                else
                {
                    sent.Add((command, outcome));
                }
            }

            var events = await h.EventsAsync(auction.Id);
            var placed = events.OfType<BidPlaced>().ToList();
            Assert.Equal(Enumerable.Range(1, events.Count).Select(k => (long)k), events.Select(e => e.Seq));
            Assert.Equal(sent.Where(s => s.Outcome.Accepted).SelectMany(s => s.Outcome.Committed), events);
            Assert.True(placed.Zip(placed.Skip(1)).All(p => p.Second.Bid.Amount > p.First.Bid.Amount));
            Assert.True(events.OfType<AuctionClosed>().Count() <= 1);
            var final = await h.StateAsync(auction.Id);
            Assert.Equal(events.Count == 0 ? 0 : events[^1].Seq, final.Version);
            Assert.Equal(placed.Count, final.BidCount);
        }
    }
}
