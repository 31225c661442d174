using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Testing;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive.Postgres.Tests;

/// <summary>
/// The single-winner proof: 500 bidders on their own connections hammer one auction through the real
/// PlaceBid use case while two closers race its deadline; then SQL checks the stored truth.
/// </summary>
public sealed class SingleWinnerTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    private const int Bidders = 500;
    private static readonly TimeSpan BiddingWindow = TimeSpan.FromSeconds(8);

    [Fact]
    public Task FiveHundredBiddersAndRacingClosersLeaveExactlyOneWinner() => RaceAsync(retries: false);

    [Fact]
    public Task IdempotentRetriesMixedInNeverDoubleABid() => RaceAsync(retries: true);

    private async Task RaceAsync(bool retries)
    {
        await using var dataSource = await TestDatabase.OpenAsync(maxPoolSize: Bidders + 10);
        var store = db.CreateStore(dataSource);
        var time = TimeProvider.System;
        var options = new BiddingOptions { MaxCommitAttempts = 10 };
        var strategies = BidIncrementStrategies.BuiltIn;
        var bus = new InMemoryEventBus();
        var feed = new AuctionFeed(store, bus, options, time, NullLogger<AuctionFeed>.Instance);
        var publisher = new AuctionPublisher(feed, bus, NullLogger<AuctionPublisher>.Instance);
        var placeBid = new PlaceBid(new AuctionSequencer(store, strategies, publisher, options, time), store, options);
        // Each closer is a node of its own (its own sequencer): they race through the store's version check.
        var closers = Enumerable.Range(0, 2).Select(_ => new CloseAuction(new AuctionSequencer(store, strategies, publisher, options, time))).ToList();

        // Open the bidders' connections first, so the bidding window is spent bidding, not forking backends.
        var warm = await Task.WhenAll(Enumerable.Range(0, Bidders).Select(_ => dataSource.OpenConnectionAsync().AsTask()));
        foreach (var c in warm)
        {
            await c.DisposeAsync();
        }

        var auction = ComplianceAuctions.Open(time.GetUtcNow()) with { EndsAt = time.GetUtcNow().Add(BiddingWindow) };
        await store.CreateAuctionAsync(auction);

        var acknowledged = new ConcurrentBag<Bid>();
        var replayMismatches = new ConcurrentBag<string>();
        var errors = new ConcurrentDictionary<string, int>();
        var closeWins = 0;
        var peakConnections = 0;
        using var stop = new CancellationTokenSource();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var bidders = Enumerable.Range(0, Bidders).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var bidder = UserId.New();
            var nextAmount = 1_000L + (i % 7 * 100);
            for (var n = 0; ; n++)
            {
                var key = retries ? $"k-{i}-{n}" : null;
                var command = new PlaceBidCommand(auction.Id, bidder, $"bidder-{i}", nextAmount, IdempotencyKey: key);
                var outcome = await placeBid.ExecuteAsync(command);
                if (retries && n % 3 == 0)
                {
                    // The client never saw the answer and sends the very same bid again.
                    var again = await placeBid.ExecuteAsync(command);
                    if (outcome.Error?.Code == ErrorCodes.Concurrency)
                    {
                        outcome = again; // not remembered under the key: the retry was a fresh attempt
                    }
                    else if (!again.Replayed || again.Accepted != outcome.Accepted || again.Placed?.Bid.Id != outcome.Placed?.Bid.Id)
                    {
                        replayMismatches.Add($"{key}: first {outcome.Placed?.Bid.Id}/{outcome.Error?.Code}, retry {again.Placed?.Bid.Id}/{again.Error?.Code}");
                    }
                }

                errors.AddOrUpdate(outcome.Error?.Code ?? "accepted", 1, (_, c) => c + 1);
                if (outcome.Accepted)
                {
                    acknowledged.Add(outcome.Placed!.Bid);
                }
                else if (outcome.Error!.Code is ErrorCodes.AuctionClosed)
                {
                    return;
                }

                // A fast-path rejection carries no view: look the price up like a client would.
                var minimum = outcome.Auction?.MinNextBidCents ?? await MinimumNextBidAsync(store, strategies, auction.Id);
                nextAmount = Math.Max(nextAmount, minimum + (i % 25 * 100));
            }
        })).ToList();

        var closing = closers.Select(closer => Task.Run(async () =>
        {
            await start.Task;
            while (true)
            {
                var result = await closer.ExecuteAsync(auction.Id, CloseReason.Ended);
                if (result.Succeeded)
                {
                    Interlocked.Increment(ref closeWins);
                    return;
                }

                if (result.Error!.Code == ErrorCodes.AuctionClosed)
                {
                    return; // the other closer won
                }

                await Task.Delay(5);
            }
        })).ToList();

        var sampler = Task.Run(async () =>
        {
            await using var probe = await TestDatabase.OpenAsync(maxPoolSize: 1);
            while (!stop.IsCancellationRequested)
            {
                await using (var c = await probe.OpenConnectionAsync())
                {
                    var n = await c.ExecuteScalarAsync<int>("SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend'");
                    peakConnections = Math.Max(peakConnections, n);
                }

                await Task.Delay(100);
            }
        });

        start.SetResult();
        await Task.WhenAll(closing).WaitAsync(TimeSpan.FromMinutes(3));
        await Task.WhenAll(bidders).WaitAsync(TimeSpan.FromMinutes(3));
        await stop.CancelAsync();
        await sampler;

        Assert.Empty(replayMismatches);
        Assert.Equal(1, closeWins);
        Assert.True(peakConnections >= 200, $"Expected hundreds of concurrent connections, saw at most {peakConnections}.");
        Assert.True(acknowledged.Count >= 20, $"Too little contention to prove anything: {acknowledged.Count} accepted bids; outcomes {string.Join(", ", errors.Select(e => $"{e.Key}={e.Value}"))}.");
        await AssertStoredTruthAsync(auction.Id, acknowledged.ToList(), retries);
    }

    private static async Task<long> MinimumNextBidAsync(PostgresAuctionStore store, BidIncrementStrategies strategies, AuctionId id)
    {
        var state = (await store.GetAuctionAsync(id))!;
        return Auction.Load(state, strategies.Get(state.Increment.Kind)).ToView(DateTimeOffset.UtcNow).MinNextBidCents;
    }

    private async Task AssertStoredTruthAsync(AuctionId auctionId, List<Bid> acknowledged, bool retries)
    {
        var s = "\"" + db.Options.Schema + "\"";
        var id = auctionId.Value;
        await using var connection = await db.DataSource.OpenConnectionAsync();

        // seq gap-free from 1; the one ending event is the last.
        var events = (await connection.QueryAsync<(long Seq, string Type)>($"SELECT seq, type FROM {s}.events WHERE auction_id = @id ORDER BY seq", new { id })).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        var close = Assert.Single(events, e => e.Type is "auction_closed" or "auction_cancelled");
        Assert.Equal("auction_closed", close.Type);
        Assert.Equal(events[^1].Seq, close.Seq);

        // Every acknowledged bid is stored exactly once, as acknowledged.
        var bids = (await connection.QueryAsync<(Guid Id, long Seq, long Amount, Guid Bidder)>(
            $"SELECT id, seq, amount_cents, bidder_id FROM {s}.bids WHERE auction_id = @id ORDER BY seq", new { id })).ToList();
        Assert.Equal(events.Count(e => e.Type == "bid_placed"), bids.Count);
        Assert.Equal(acknowledged.Count, acknowledged.Select(b => b.Id).Distinct().Count());
        var byId = bids.ToDictionary(b => b.Id);
        foreach (var ack in acknowledged)
        {
            Assert.True(byId.TryGetValue(ack.Id.Value, out var stored), $"Acknowledged bid {ack.Id} (seq {ack.Seq}) is not stored.");
            Assert.Equal((ack.Seq, ack.Amount.Cents, ack.BidderId.Value), (stored.Seq, stored.Amount, stored.Bidder));
        }

        // Amounts strictly rise in seq order; nothing after the close.
        Assert.True(bids.Zip(bids.Skip(1)).All(p => p.Second.Amount > p.First.Amount), "Amounts must strictly increase in seq order.");
        Assert.All(bids, b => Assert.True(b.Seq < close.Seq, $"Bid seq {b.Seq} after the close (seq {close.Seq})."));

        // Exactly one winner: the highest bid's bidder, on the row and in the close event.
        var row = await connection.QuerySingleAsync<(string Status, Guid? Winner, long Price, long Version, DateTime Ends, DateTime Updated)>(
            $"SELECT status, winner_id, price_cents, version, ends_at, updated_at FROM {s}.auctions WHERE id = @id", new { id });
        var highest = bids[^1];
        Assert.Equal("closed", row.Status);
        Assert.Equal(highest.Bidder, row.Winner);
        Assert.Equal(bids.Max(b => b.Amount), row.Price);
        Assert.Equal(highest.Amount, row.Price);
        Assert.Equal(close.Seq, row.Version);
        Assert.True(row.Updated >= row.Ends, "The close committed before the deadline by the database clock.");
        var closeWinner = await connection.ExecuteScalarAsync<string>(
            $"SELECT payload->>'winner_id' FROM {s}.events WHERE auction_id = @id AND type = 'auction_closed'", new { id });
        Assert.Equal(highest.Bidder.ToString(), closeWinner);

        if (retries)
        {
            // Each key has one outcome; an accepted one points at that user's stored bid.
            var outcomes = (await connection.QueryAsync<(Guid User, long? Seq)>(
                $"SELECT user_id, seq FROM {s}.bid_outcomes WHERE auction_id = @id", new { id })).ToList();
            var bySeq = bids.ToDictionary(b => b.Seq);
            Assert.NotEmpty(outcomes);
            Assert.All(outcomes.Where(o => o.Seq is not null), o => Assert.Equal(o.User, bySeq[o.Seq!.Value].Bidder));
            Assert.Equal(acknowledged.Count, outcomes.Count(o => o.Seq is not null));
        }
    }
}
