using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RemateLive.Ports;
using RemateLive.Postgres.Migrations;
using RemateLive.Sales;
using RemateLive.Serialization;

namespace RemateLive.Postgres;

/// <summary>
/// Live sales on PostgreSQL (migration 0005). A commit is one transaction: a compare-and-set update of the
/// sale row on its version, then the batch's events. Infrastructure failures surface as exceptions.
/// </summary>
internal sealed class PostgresSaleStore : ISaleStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _commandTimeout;
    private readonly string _s;
    private readonly PostgresSchemaInitializer _schema;

    public PostgresSaleStore(NpgsqlDataSource dataSource, PostgresStoreOptions options, PostgresSchemaInitializer schema)
    {
        _dataSource = dataSource;
        _schema = schema;
        _commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _s = options.QuotedSchema;
    }

    /// <summary>A store over <paramref name="dataSource"/> whose schema is managed elsewhere (tests, tools).</summary>
    internal static PostgresSaleStore Create(NpgsqlDataSource dataSource, PostgresStoreOptions options)
    {
        var unmanaged = new PostgresStoreOptions { Schema = options.Schema, CommandTimeout = options.CommandTimeout };
        return new(dataSource, options, new PostgresSchemaInitializer(new PostgresMigrator(dataSource, unmanaged), unmanaged, NullLogger<PostgresSchemaInitializer>.Instance));
    }

    /// <inheritdoc/>
    public async Task CreateSaleAsync(SaleState sale, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sale);
        if (sale.Version != 0 || sale.Seq != 0)
        {
            throw new ArgumentException("A new sale starts at version 0 and seq 0.", nameof(sale));
        }

        await using var connection = await OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(Command(
            $"""
            INSERT INTO {_s}.sales (id, status, starts_at, version, seq, state, created_at)
            VALUES (@Id, @Status, @StartsAt, 0, 0, @State::jsonb, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """,
            new { Id = sale.Id.Value, Status = StatusName(sale.Status), StartsAt = sale.StartsAt.UtcDateTime, State = Serialize(sale), CreatedAt = sale.CreatedAt.UtcDateTime },
            cancellationToken));
        if (inserted == 0)
        {
            throw new InvalidOperationException($"Sale {sale.Id} already exists.");
        }
    }

    /// <inheritdoc/>
    public async Task<SaleState?> GetSaleAsync(SaleId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(Command($"SELECT state::text FROM {_s}.sales WHERE id = @id", new { id = id.Value }, cancellationToken));
        return json is null ? null : Deserialize(json);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SaleState>> ListSalesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(Command($"SELECT state::text FROM {_s}.sales ORDER BY starts_at, id", null, cancellationToken));
        return [.. rows.Select(Deserialize)];
    }

    /// <inheritdoc/>
    public async Task<SaleAppendResult> AppendAsync(SaleCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        commit.ThrowIfMalformed(commit.State.Seq - commit.Events.Count);
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {_s}.sales
               SET status = @Status, version = @Version, seq = @Seq, state = @State::jsonb, updated_at = clock_timestamp()
             WHERE id = @Id AND version = @Expected AND seq = @PreviousSeq
            """,
            new
            {
                Id = commit.State.Id.Value,
                Status = StatusName(commit.State.Status),
                commit.State.Version,
                commit.State.Seq,
                State = Serialize(commit.State),
                Expected = commit.ExpectedVersion,
                PreviousSeq = commit.State.Seq - commit.Events.Count,
            },
            tx,
            _commandTimeout,
            cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            var current = await GetSaleAsync(commit.State.Id, cancellationToken);
            if (current is null)
            {
                return SaleAppendResult.NotFound;
            }

            if (current.Version == commit.ExpectedVersion)
            {
                commit.ThrowIfMalformed(current.Seq); // same version, different seq: the caller's events do not follow
            }

            return new SaleAppendResult(SaleAppendStatus.VersionConflict, current);
        }

        if (commit.Events.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO {_s}.sale_events (sale_id, seq, type, payload, occurred_at)
                SELECT @SaleId, e.seq, e.type, e.payload::jsonb, e.occurred_at
                  FROM unnest(@Seqs, @Types, @Payloads, @Times) AS e(seq, type, payload, occurred_at)
                """,
                new
                {
                    SaleId = commit.State.Id.Value,
                    Seqs = commit.Events.Select(e => e.Seq).ToArray(),
                    Types = commit.Events.Select(e => e.TypeName).ToArray(),
                    Payloads = commit.Events.Select(e => JsonSerializer.Serialize(e, RemateJson.Options)).ToArray(),
                    Times = commit.Events.Select(e => e.OccurredAt.UtcDateTime).ToArray(),
                },
                tx,
                _commandTimeout,
                cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return SaleAppendResult.Committed;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SaleEvent>> GetEventsAsync(SaleId saleId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(Command(
            $"SELECT payload::text FROM {_s}.sale_events WHERE sale_id = @id AND seq > @after ORDER BY seq LIMIT @limit",
            new { id = saleId.Value, after = afterSeq, limit },
            cancellationToken));
        return [.. rows.Select(json => JsonSerializer.Deserialize<SaleEvent>(json, RemateJson.Options)!)];
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken ct) =>
        new(sql, parameters, commandTimeout: _commandTimeout, cancellationToken: ct);

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        await _schema.EnsureAsync(ct);
        return await _dataSource.OpenConnectionAsync(ct);
    }

    private static string Serialize(SaleState state) => JsonSerializer.Serialize(state, RemateJson.Options);

    private static SaleState Deserialize(string json) =>
        JsonSerializer.Deserialize<SaleState>(json, RemateJson.Options) ?? throw new JsonException("Empty sale state.");

    private static string StatusName(SaleStatus status) => status switch
    {
        SaleStatus.Scheduled => "scheduled",
        SaleStatus.Running => "running",
        SaleStatus.Paused => "paused",
        _ => "ended",
    };
}
