using Dapper;
using Npgsql;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Postgres.Tests;

/// <summary>The database's own guards: a buggy caller (or a hand-written SQL call) cannot corrupt an auction.</summary>
public sealed class InvariantTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    private string S => "\"" + db.Options.Schema + "\"";

    [Fact]
    public async Task FallingAmountsAreRefusedByPlaceBid()
    {
        var store = db.CreateStore();
        var auction = ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        await store.CreateAuctionAsync(auction);
        Assert.Equal(AppendStatus.Committed, (await store.AppendAsync(BidCommit(auction, 0, 5_000))).Status);

        // The domain would never decide this; the database refuses it anyway.
        var error = await Assert.ThrowsAsync<PostgresException>(() => store.AppendAsync(BidCommit(auction, 1, 4_000)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(1, (await store.GetAuctionAsync(auction.Id))!.Version);
    }

    [Fact]
    public async Task NothingIsAppendedToAClosedAuction()
    {
        var store = db.CreateStore();
        var auction = ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        await store.CreateAuctionAsync(auction);
        var now = DateTimeOffset.UtcNow;
        var closed = auction with { Status = AuctionStatus.Closed, Version = 1, ClosedAt = now };
        Assert.Equal(AppendStatus.Committed, (await store.AppendAsync(new AuctionCommit(
            closed, 0, [new AuctionClosed(auction.Id, 1, now, null, null, null, null, CloseReason.Admin)], []))).Status);

        var error = await Assert.ThrowsAsync<PostgresException>(() => store.AppendAsync(BidCommit(closed, 1, 5_000)));
        Assert.Contains("final", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTablesRefuseDuplicateSeqsSecondClosesAndNonPositiveAmounts()
    {
        var store = db.CreateStore();
        var auction = ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        await store.CreateAuctionAsync(auction);
        Assert.Equal(AppendStatus.Committed, (await store.AppendAsync(BidCommit(auction, 0, 5_000))).Status);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var id = auction.Id.Value;

        var duplicateSeq = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            $"INSERT INTO {S}.events (auction_id, seq, type, occurred_at, payload) VALUES (@id, 1, 'auction_extended', now(), '{{}}')", new { id }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicateSeq.SqlState);

        await connection.ExecuteAsync($"INSERT INTO {S}.events (auction_id, seq, type, occurred_at, payload) VALUES (@id, 2, 'auction_closed', now(), '{{}}')", new { id });
        var secondClose = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            $"INSERT INTO {S}.events (auction_id, seq, type, occurred_at, payload) VALUES (@id, 3, 'auction_cancelled', now(), '{{}}')", new { id }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, secondClose.SqlState);

        var zero = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            $"INSERT INTO {S}.bids (auction_id, seq, id, bidder_id, bidder_name, amount_cents, kind, placed_at) VALUES (@id, 9, gen_random_uuid(), gen_random_uuid(), 'x', 0, 'manual', now())", new { id }));
        Assert.Equal(PostgresErrorCodes.CheckViolation, zero.SqlState);

        var negativeVersion = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            $"UPDATE {S}.auctions SET version = -1 WHERE id = @id", new { id }));
        Assert.Equal(PostgresErrorCodes.CheckViolation, negativeVersion.SqlState);
    }

    [Fact]
    public async Task AGapInSeqIsRefusedByAppendBatch()
    {
        var store = db.CreateStore();
        var auction = ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        await store.CreateAuctionAsync(auction);
        await using var connection = await db.DataSource.OpenConnectionAsync();

        // Called by hand with seq 2 after version 0, as a buggy client of the function would.
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            $$"""
            SELECT * FROM {{S}}.append_batch(@id, 0, 0::smallint, '{}'::jsonb, 'open', now() + interval '1 hour', NULL,
                ARRAY[2]::bigint[], ARRAY['auction_extended'], ARRAY[now()], ARRAY['{}'::jsonb],
                ARRAY[]::bigint[], ARRAY[]::uuid[], ARRAY[]::uuid[], ARRAY[]::text[], ARRAY[]::bigint[], ARRAY[]::text[], ARRAY[]::timestamptz[],
                ARRAY[]::uuid[], ARRAY[]::text[], ARRAY[]::bigint[], ARRAY[]::text[], ARRAY[]::text[], now())
            """, new { id = auction.Id.Value }));
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(0, (await store.GetAuctionAsync(auction.Id))!.Version);
    }

    private static AuctionCommit BidCommit(AuctionState auction, long version, long cents)
    {
        var now = DateTimeOffset.UtcNow;
        var bidder = UserId.New();
        var bid = new Bid(BidId.New(), auction.Id, bidder, "b", Money.FromCents(cents), version + 1, now, BidKind.Manual);
        var state = auction with { Version = version + 1, CurrentPrice = bid.Amount, LeaderId = bidder, LeaderName = "b", LeaderMax = bid.Amount, BidCount = (int)version + 1 };
        return new AuctionCommit(
            state, version,
            [new BidPlaced(auction.Id, version + 1, now, bid, Money.FromCents(cents + 100), (int)version + 1, auction.EndsAt, null, null, null, null)],
            [], CommitDeadline.BeforeEnd);
    }
}
