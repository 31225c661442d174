using System.Data;
using Dapper;
using Npgsql;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.Postgres.Migrations;

namespace RemateLive.Postgres;

/// <summary>User accounts on PostgreSQL (table <c>users</c>, usernames unique ignoring case).</summary>
internal sealed class PostgresUserStore(NpgsqlDataSource dataSource, PostgresStoreOptions options, PostgresSchemaInitializer schema) : IUserStore
{
    private const string Columns = "id, username, display_name, password_hash, role, created_at, security_stamp";

    private readonly int _commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
    private readonly string _s = options.QuotedSchema;

    /// <inheritdoc/>
    public async Task<UserAccount?> FindByNameAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_s}.users WHERE lower(username) = lower($1)", connection) { CommandTimeout = _commandTimeout };
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = username });
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<UserAccount?> FindByIdAsync(UserId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_s}.users WHERE id = $1", connection) { CommandTimeout = _commandTimeout };
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> TryAddAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {_s}.users (id, username, display_name, password_hash, role, created_at, security_stamp)
            VALUES (@id, @username, @display, @hash, @role, @at, @stamp)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                id = user.Id.Value,
                username = user.Username,
                display = user.DisplayName,
                hash = user.PasswordHash,
                role = user.Role,
                at = user.CreatedAt.UtcDateTime,
                stamp = user.SecurityStamp,
            },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <inheritdoc/>
    public async Task<bool> TryUpdateAsync(UserAccount user, string expectedStamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {_s}.users SET display_name = @display, password_hash = @hash, role = @role, security_stamp = @stamp
            WHERE id = @id AND security_stamp = @expected
            """,
            new { id = user.Id.Value, display = user.DisplayName, hash = user.PasswordHash, role = user.Role, stamp = user.SecurityStamp, expected = expectedStamp },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
        return updated == 1;
    }

    /// <inheritdoc/>
    public async Task<int> DeleteUnclaimedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {_s}.users WHERE password_hash IS NULL AND created_at < @before",
            new { before = createdBefore.UtcDateTime },
            commandTimeout: _commandTimeout,
            cancellationToken: cancellationToken));
    }

    private static async Task<UserAccount?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
        return await reader.ReadAsync(ct)
            ? new UserAccount(
                new UserId(reader.GetGuid(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)) { SecurityStamp = reader.GetString(6) }
            : null;
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        await schema.EnsureAsync(ct);
        return await dataSource.OpenConnectionAsync(ct);
    }
}
