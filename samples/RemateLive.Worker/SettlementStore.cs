using Npgsql;
using RemateLive.Domain;

namespace RemateLive.Worker;

/// <summary>
/// The worker's own table, <c>settlement.settlements</c>, keyed by auction: recording an auction twice
/// (a duplicate bus message, a restart, the reconcile pass meeting a close the bus already brought) is a no-op.
/// </summary>
internal sealed class SettlementStore(NpgsqlDataSource dataSource)
{
    private const string Schema = """
        CREATE SCHEMA IF NOT EXISTS settlement;
        CREATE TABLE IF NOT EXISTS settlement.settlements (
            auction_id   uuid PRIMARY KEY,
            seller_id    uuid        NOT NULL,
            winner_id    uuid        NOT NULL,
            winner_name  text        NOT NULL,
            amount_cents bigint      NOT NULL CHECK (amount_cents > 0),
            currency     text        NOT NULL,
            closed_at    timestamptz NOT NULL,
            settled_at   timestamptz NOT NULL
        );
        """;

    /// <summary>Creates the table when missing (idempotent; safe with several workers starting at once).</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('remate_live_worker_settlement_schema'))", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(Schema, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('remate_live_worker_settlement_schema'))", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Records <paramref name="settlement"/>; false when the auction was settled already.</summary>
    public async Task<bool> TryRecordAsync(Settlement settlement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO settlement.settlements (auction_id, seller_id, winner_id, winner_name, amount_cents, currency, closed_at, settled_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (auction_id) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = settlement.AuctionId.Value });
        command.Parameters.Add(new() { Value = settlement.SellerId.Value });
        command.Parameters.Add(new() { Value = settlement.WinnerId.Value });
        command.Parameters.Add(new() { Value = settlement.WinnerName });
        command.Parameters.Add(new() { Value = settlement.AmountCents });
        command.Parameters.Add(new() { Value = settlement.Currency });
        command.Parameters.Add(new() { Value = settlement.ClosedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Which of <paramref name="auctions"/> are settled already.</summary>
    public async Task<HashSet<AuctionId>> SettledAsync(IReadOnlyCollection<AuctionId> auctions, CancellationToken cancellationToken)
    {
        var settled = new HashSet<AuctionId>();
        if (auctions.Count == 0)
        {
            return settled;
        }

        await using var command = dataSource.CreateCommand("SELECT auction_id FROM settlement.settlements WHERE auction_id = ANY($1)");
        command.Parameters.Add(new() { Value = auctions.Select(a => a.Value).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            settled.Add(new AuctionId(reader.GetGuid(0)));
        }

        return settled;
    }
}
