using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;
using RemateLive.Postgres.Migrations;
using RemateLive.Serialization;

namespace RemateLive.Postgres;

/// <summary>
/// The store of record on PostgreSQL. Every commit — a whole batch of an auction writer's decisions — is
/// one call of the <c>append_batch()</c> function (one round trip, one transaction, the auction row
/// locked); reads are plain queries. Infrastructure
/// failures surface as <see cref="NpgsqlException"/>s: nothing is acknowledged that is not committed.
/// </summary>
internal sealed class PostgresAuctionStore : IAuctionStore
{
    // Stored JSON is jsonb, which reorders keys: the event discriminator is not necessarily first.
    private static readonly JsonSerializerOptions ReadOptions = new(RemateJson.Options) { AllowOutOfOrderMetadataProperties = true };

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _commandTimeout;
    private readonly string _s;
    private readonly string _appendSql;

    private readonly PostgresSchemaInitializer _schema;

    public PostgresAuctionStore(NpgsqlDataSource dataSource, PostgresStoreOptions options, PostgresSchemaInitializer schema)
    {
        _dataSource = dataSource;
        _schema = schema;
        _commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _s = options.QuotedSchema;
        _appendSql = $"SELECT result, current_state, dup_user, dup_key, dup_seq, dup_code, dup_message, dup_at FROM {_s}.append_batch(" +
            string.Join(", ", Enumerable.Range(1, 24).Select(i => "$" + i)) + ")";
    }

    /// <summary>A store over <paramref name="dataSource"/> whose schema is managed elsewhere (tests, tools).</summary>
    internal static PostgresAuctionStore Create(NpgsqlDataSource dataSource, PostgresStoreOptions options)
    {
        var unmanaged = new PostgresStoreOptions { Schema = options.Schema, CommandTimeout = options.CommandTimeout };
        return new(dataSource, options, new PostgresSchemaInitializer(new PostgresMigrator(dataSource, unmanaged), unmanaged, NullLogger<PostgresSchemaInitializer>.Instance));
    }

    /// <inheritdoc/>
    public async Task CreateAuctionAsync(AuctionState auction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auction);
        if (auction.Version != 0)
        {
            throw new ArgumentException("A new auction starts at version 0.", nameof(auction));
        }

        await using var connection = await OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {_s}.auctions (id, status, starts_at, ends_at, version, price_cents, winner_id, state, created_at)
            VALUES (@Id, @Status, @StartsAt, @EndsAt, 0, @Price, @Winner, @State::jsonb, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                Id = auction.Id.Value,
                Status = StatusName(auction.Status),
                StartsAt = auction.StartsAt.UtcDateTime,
                EndsAt = auction.EndsAt.UtcDateTime,
                Price = auction.CurrentPrice?.Cents,
                Winner = auction.WinnerId?.Value,
                State = JsonSerializer.Serialize(auction, RemateJson.Options),
                CreatedAt = auction.CreatedAt.UtcDateTime,
            },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            throw new InvalidOperationException($"Auction {auction.Id} already exists.");
        }
    }

    /// <inheritdoc/>
    public async Task<AuctionState?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT state::text FROM {_s}.auctions WHERE id = @id", new { id = id.Value }, commandTimeout: _commandTimeout, cancellationToken: cancellationToken));
        return json is null ? null : ReadState(json);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuctionState>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT state::text FROM {_s}.auctions WHERE @status::text IS NULL OR status = @status ORDER BY ends_at, id",
            new { status = status is { } s ? StatusName(s) : null },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return [.. rows.Select(ReadState)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuctionState>> SearchAuctionsAsync(AuctionSearch search, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = CatalogueQuery(search);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            sql, parameters, commandTimeout: _commandTimeout, cancellationToken: cancellationToken));
        return [.. rows.Select(ReadState)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BidderAuction>> GetBidderAuctionsAsync(UserId bidder, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Highest, DateTime LastAt)>(new CommandDefinition(
            $"""
            SELECT a.state::text, m.highest, m.last_at
            FROM (SELECT auction_id, max(amount_cents) AS highest, max(placed_at) AS last_at
                  FROM {_s}.bids WHERE bidder_id = @bidder GROUP BY auction_id
                  ORDER BY last_at DESC, auction_id LIMIT @limit) m
            JOIN {_s}.auctions a ON a.id = m.auction_id
            ORDER BY m.last_at DESC, m.auction_id
            """,
            new { bidder = bidder.Value, limit },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BidderAuction(ReadState(r.State), Money.FromCents(r.Highest), new DateTimeOffset(DateTime.SpecifyKind(r.LastAt, DateTimeKind.Utc))))];
    }

    /// <summary>
    /// The catalogue's rules (<see cref="AuctionCatalogue"/>) in SQL, each sort on its own (key, id) index.
    /// Times are keyed in microseconds, which is what the columns hold (Npgsql truncates ticks the same way).
    /// </summary>
    internal (string Sql, object Parameters) CatalogueQuery(AuctionSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var (key, isTime) = search.Sort switch
        {
            AuctionSort.EndingSoon => ("ends_at", true),
            AuctionSort.Newest => ("created_at", true),
            _ => ("shown_price_cents", false),
        };
        var descending = AuctionCatalogue.Descending(search.Sort);
        var cursorKey = isTime ? "'epoch'::timestamptz + @after_key * interval '1 microsecond'" : "@after_key";
        var where = new List<string>();
        if (search.Terms.Count > 0)
        {
            where.Add("search @@ to_tsquery('simple', @query)");
        }

        if (search.Status is { } status)
        {
            where.Add(status switch
            {
                AuctionStatus.Open => "(status = 'open' OR (status = 'scheduled' AND starts_at <= @now))",
                AuctionStatus.Scheduled => "status = 'scheduled' AND starts_at > @now",
                _ => "status = @status",
            });
        }

        if (search.After is not null)
        {
            where.Add($"({key}, id) {(descending ? "<" : ">")} ({cursorKey}, @after_id)");
        }

        var direction = descending ? "DESC" : "ASC";
        var sql = $"""
            SELECT state::text FROM {_s}.auctions
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY {key} {direction}, id {direction}
            LIMIT @limit
            """;
        return (sql, new
        {
            // Terms hold only letters and digits (AuctionCatalogue.Terms), so this is a well-formed tsquery.
            query = string.Join(" & ", search.Terms.Select(t => t + ":*")),
            now = search.Now.UtcDateTime,
            status = search.Status is { } st ? StatusName(st) : null,
            after_key = search.After?.Key ?? 0,
            after_id = search.After?.Id.Value ?? Guid.Empty,
            limit = search.Limit,
        });
    }

    /// <inheritdoc/>
    public async Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        CommitRules.ThrowIfMalformed(commit);
        var state = commit.State;
        var events = commit.Events;
        var bids = events.OfType<BidPlaced>().Select(e => e.Bid).ToArray();

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(_appendSql, connection) { CommandTimeout = _commandTimeout };
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid> { TypedValue = state.Id.Value });
        p.Add(new NpgsqlParameter<long> { TypedValue = commit.ExpectedVersion });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)commit.Deadline });
        p.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(state, RemateJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<string> { TypedValue = StatusName(state.Status) });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = state.EndsAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)state.WinnerId?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. events.Select(e => e.Seq)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(RemateJson.TypeName)] });
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. events.Select(e => e.OccurredAt.UtcDateTime)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(RemateJson.SerializeEvent)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. bids.Select(b => b.Seq)] });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. bids.Select(b => b.Id.Value)] });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. bids.Select(b => b.BidderId.Value)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. bids.Select(b => b.BidderName)] });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. bids.Select(b => b.Amount.Cents)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. bids.Select(b => KindName(b.Kind))] });
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. bids.Select(b => b.PlacedAt.UtcDateTime)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        var outcomes = commit.Outcomes;
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. outcomes.Select(o => o.UserId.Value)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. outcomes.Select(o => o.IdempotencyKey)] });
        p.Add(new NpgsqlParameter<long?[]> { TypedValue = [.. outcomes.Select(o => o.Seq)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. outcomes.Select(o => o.ErrorCode)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. outcomes.Select(o => o.ErrorMessage)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = (outcomes.Count > 0 ? outcomes[0].CreatedAt : state.CreatedAt).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("append_batch() returned no row.");
        }

        var result = reader.GetString(0);
        var current = reader.IsDBNull(1) ? null : ReadState(reader.GetString(1));
        switch (result)
        {
            case "committed":
                return AppendResult.Committed;
            case "version_conflict":
                return new AppendResult(AppendStatus.VersionConflict, current);
            case "deadline_missed":
                return new AppendResult(AppendStatus.DeadlineMissed, current);
            case "not_found":
                return AppendResult.NotFound;
            case "duplicate_key":
                var existing = new List<BidOutcomeRecord>();
                do
                {
                    existing.Add(new BidOutcomeRecord(
                        state.Id,
                        new UserId(reader.GetGuid(2)),
                        reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetInt64(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.GetFieldValue<DateTimeOffset>(7)));
                }
                while (await reader.ReadAsync(cancellationToken));
                return new AppendResult(AppendStatus.DuplicateKey, current, existing);
            default:
                throw new InvalidOperationException($"append_batch() returned '{result}'.");
        }
    }

    /// <inheritdoc/>
    public async Task<int> PruneOutcomesAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        // In slices, so a large backlog never holds many row locks or one long transaction.
        await using var connection = await OpenAsync(cancellationToken);
        var total = 0;
        while (true)
        {
            var pruned = await connection.ExecuteAsync(new CommandDefinition(
                $"""
                DELETE FROM {_s}.bid_outcomes WHERE ctid IN (
                    SELECT ctid FROM {_s}.bid_outcomes WHERE created_at < @before LIMIT 5000)
                """,
                new { before = before.UtcDateTime },
                commandTimeout: _commandTimeout,
                cancellationToken: cancellationToken));
            total += pruned;
            if (pruned < 5000)
            {
                return total;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<int?> AssignPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        for (var attempt = 0; attempt < 3; attempt++) // only the same user racing itself needs another look
        {
            try
            {
                // The counter's upsert locks the auction's counter row, so racing first bids take turns. No
                // flush of its own: the bid that uses the number commits synchronously afterwards, and that
                // flush (the WAL is sequential) makes this row durable too; a crash before it loses only an
                // unused number. So first bids queue on the lock for microseconds, not for an fsync each.
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition("SET LOCAL synchronous_commit = off", transaction: tx, cancellationToken: cancellationToken));
                var paddle = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                    $"""
                    WITH existing AS (SELECT paddle FROM {_s}.paddles WHERE auction_id = @a AND user_id = @u),
                    next AS (
                        INSERT INTO {_s}.paddle_counters AS c (auction_id, last)
                        SELECT @a, 1 WHERE NOT EXISTS (SELECT 1 FROM existing)
                        ON CONFLICT (auction_id) DO UPDATE SET last = c.last + 1
                        RETURNING last),
                    added AS (
                        INSERT INTO {_s}.paddles (auction_id, user_id, paddle)
                        SELECT @a, @u, last FROM next
                        ON CONFLICT DO NOTHING
                        RETURNING paddle)
                    SELECT paddle FROM existing UNION ALL SELECT paddle FROM added
                    """,
                    new { a = auctionId.Value, u = userId.Value },
                    tx,
                    _commandTimeout,
                    cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                if (paddle is not null)
                {
                    return paddle;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                return null; // no such auction
            }
        }

        throw new InvalidOperationException($"Could not assign a paddle on auction {auctionId}.");
    }

    /// <inheritdoc/>
    public async Task<int?> FindPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            $"SELECT paddle FROM {_s}.paddles WHERE auction_id = @a AND user_id = @u",
            new { a = auctionId.Value, u = userId.Value },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
    }

    /// <inheritdoc/>
    public async Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await FindOutcomeAsync(connection, auctionId, userId, idempotencyKey, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT payload::text FROM {_s}.events WHERE auction_id = @a AND seq > @after ORDER BY seq LIMIT @limit",
            new { a = auctionId.Value, after = afterSeq, limit },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return [.. rows.Select(json => JsonSerializer.Deserialize<AuctionEvent>(json, ReadOptions)!)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        // The bid as the event log holds it (exact timestamps); the bids table indexes and constrains it.
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT payload->>'bid' FROM {_s}.events
            WHERE auction_id = @a AND type = 'bid_placed' AND (@before::bigint IS NULL OR seq < @before)
            ORDER BY seq DESC LIMIT @limit
            """,
            new { a = auctionId.Value, before = beforeSeq, limit },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return [.. rows.Select(json => JsonSerializer.Deserialize<Bid>(json, ReadOptions)!)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuctionId>> GetDueAuctionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT id FROM {_s}.auctions WHERE status IN ('open', 'scheduled') AND ends_at <= @now ORDER BY ends_at LIMIT @limit",
            new { now = now.UtcDateTime, limit = Math.Max(limit, 0) },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return [.. ids.Select(g => new AuctionId(g))];
    }

    private async Task<BidOutcomeRecord?> FindOutcomeAsync(NpgsqlConnection connection, AuctionId auctionId, UserId userId, string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT seq, error_code, error_message, created_at FROM {_s}.bid_outcomes WHERE auction_id = $1 AND user_id = $2 AND idempotency_key = $3",
            connection) { CommandTimeout = _commandTimeout };
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = auctionId.Value });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
        return await reader.ReadAsync(ct)
            ? new BidOutcomeRecord(
                auctionId,
                userId,
                key,
                reader.IsDBNull(0) ? null : reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        await _schema.EnsureAsync(ct);
        return await _dataSource.OpenConnectionAsync(ct);
    }

    private static AuctionState ReadState(string json) =>
        JsonSerializer.Deserialize<AuctionState>(json, ReadOptions) ?? throw new JsonException("Empty auction state.");

    private static string StatusName(AuctionStatus status) => status switch
    {
        AuctionStatus.Scheduled => "scheduled",
        AuctionStatus.Open => "open",
        AuctionStatus.Closed => "closed",
        AuctionStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string KindName(BidKind kind) => kind switch
    {
        BidKind.Manual => "manual",
        BidKind.Proxy => "proxy",
        BidKind.BuyNow => "buy_now",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

}
