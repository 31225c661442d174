using Dapper;
using Npgsql;
using RemateLive.Postgres.Migrations;

namespace RemateLive.Postgres.Tests;

/// <summary>The PostgreSQL server of the test run (<c>REMATE_TEST_POSTGRES</c>, set by scripts/test-env.sh).</summary>
internal static class TestDatabase
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("REMATE_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "REMATE_TEST_POSTGRES is not set. These tests need a real PostgreSQL: run them through scripts/test-env.sh " +
                "(e.g. `scripts/test-env.sh --no-redis -- dotnet test tests/RemateLive.Postgres.Tests`), which starts a throwaway server.");

    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A data source on the test server with its own pool; fails with a clear message when the server is unreachable.</summary>
    public static async Task<NpgsqlDataSource> OpenAsync(int maxPoolSize = 50, string? connectionString = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString ?? ConnectionString);
        builder.ConnectionStringBuilder.MinPoolSize = 0;
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        builder.ConnectionStringBuilder.Timeout = 30;
        var dataSource = builder.Build();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw new InvalidOperationException(
                $"PostgreSQL from REMATE_TEST_POSTGRES is unreachable ({ex.Message}). Start it with scripts/test-env.sh.", ex);
        }

        return dataSource;
    }

    public static async Task DropSchemaAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    }
}

/// <summary>A migrated schema of its own for one test class, dropped afterwards.</summary>
public sealed class SchemaFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public PostgresStoreOptions Options { get; } = new() { Schema = TestDatabase.NewSchemaName() };

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        _dataSource = await TestDatabase.OpenAsync(maxPoolSize: 100);
        await new PostgresMigrator(_dataSource, Options).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await TestDatabase.DropSchemaAsync(_dataSource, Options.Schema);
            await _dataSource.DisposeAsync();
        }
    }

    internal PostgresAuctionStore CreateStore(NpgsqlDataSource? dataSource = null) => PostgresAuctionStore.Create(dataSource ?? DataSource, Options);

    internal PostgresWatchlistStore CreateWatchlistStore()
    {
        var unmanaged = new PostgresStoreOptions { Schema = Options.Schema, CommandTimeout = Options.CommandTimeout };
        return new PostgresWatchlistStore(DataSource, Options, new PostgresSchemaInitializer(new PostgresMigrator(DataSource, unmanaged), unmanaged, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSchemaInitializer>.Instance));
    }

    internal PostgresUserStore CreateUserStore()
    {
        var unmanaged = new PostgresStoreOptions { Schema = Options.Schema, CommandTimeout = Options.CommandTimeout };
        return new PostgresUserStore(DataSource, Options, new PostgresSchemaInitializer(new PostgresMigrator(DataSource, unmanaged), unmanaged, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSchemaInitializer>.Instance));
    }
}
