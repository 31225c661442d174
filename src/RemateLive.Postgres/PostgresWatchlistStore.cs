using Dapper;
using Npgsql;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.Postgres.Migrations;

namespace RemateLive.Postgres;

/// <summary>Watchlists on PostgreSQL (table <c>watchlist</c>, one row per user and auction).</summary>
internal sealed class PostgresWatchlistStore(NpgsqlDataSource dataSource, PostgresStoreOptions options, PostgresSchemaInitializer schema) : IWatchlistStore
{
    private readonly int _commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
    private readonly string _s = options.QuotedSchema;

    /// <inheritdoc/>
    public async Task<WatchResult> WatchAsync(UserId user, AuctionId auction, int maxPerUser, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // One statement: insert only below the bound; then tell "already there" from "full".
        var result = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            WITH added AS (
                INSERT INTO {_s}.watchlist (user_id, auction_id, added_at)
                SELECT @user, @auction, @at
                WHERE (SELECT count(*) FROM {_s}.watchlist WHERE user_id = @user) < @max
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT CASE
                WHEN EXISTS (SELECT 1 FROM added) THEN 0
                WHEN EXISTS (SELECT 1 FROM {_s}.watchlist WHERE user_id = @user AND auction_id = @auction) THEN 1
                ELSE 2 END
            """,
            new { user = user.Value, auction = auction.Value, at = at.UtcDateTime, max = maxPerUser },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return (WatchResult)result;
    }

    /// <inheritdoc/>
    public async Task<bool> UnwatchAsync(UserId user, AuctionId auction, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {_s}.watchlist WHERE user_id = @user AND auction_id = @auction",
            new { user = user.Value, auction = auction.Value },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken)) == 1;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuctionId>> ListAsync(UserId user, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT auction_id FROM {_s}.watchlist WHERE user_id = @user ORDER BY added_at DESC, auction_id",
            new { user = user.Value },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return [.. ids.Select(id => new AuctionId(id))];
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        await schema.EnsureAsync(ct);
        return await dataSource.OpenConnectionAsync(ct);
    }
}
