using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using RemateLive.Postgres.Migrations;

namespace RemateLive.Postgres.Tests;

/// <summary>Embedded migrations: idempotent, safe under concurrent start-ups, refusing a newer schema.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly List<string> _schemas = [];
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync() => _dataSource = await TestDatabase.OpenAsync(maxPoolSize: 40);

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await TestDatabase.DropSchemaAsync(_dataSource, schema);
        }

        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task MigratingTwiceAppliesEverythingOnceThenNothing()
    {
        var options = NewOptions();
        var migrator = new PostgresMigrator(_dataSource, options);

        Assert.Equal(PostgresMigrator.All.Count, await migrator.MigrateAsync());
        Assert.Equal(0, await migrator.MigrateAsync());
        Assert.Equal(PostgresMigrator.LatestVersion, await migrator.GetVersionAsync());
        await using var connection = await _dataSource.OpenConnectionAsync();
        var versions = (await connection.QueryAsync<int>($"SELECT version FROM \"{options.Schema}\".schema_migrations ORDER BY version")).ToList();
        Assert.Equal(PostgresMigrator.All.Select(m => m.Version), versions);
        Assert.Equal(
            ["auctions", "bid_outcomes", "bids", "events", "paddle_counters", "paddles", "sale_events", "sales", "schema_migrations", "users", "watchlist"],
            (await connection.QueryAsync<string>("SELECT table_name::text FROM information_schema.tables WHERE table_schema = @s ORDER BY 1", new { s = options.Schema })).ToList());
    }

    [Fact]
    public async Task TheSchemaHealthCheckIsReadyOnlyOnceEveryMigrationIsApplied()
    {
        var options = NewOptions();
        var migrator = new PostgresMigrator(_dataSource, options);
        var check = new PostgresSchemaHealthCheck(migrator);
        var context = new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext
        {
            Registration = new("postgres_schema", check, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, null),
        };

        var before = await check.CheckHealthAsync(context);
        await migrator.MigrateAsync();
        var after = await check.CheckHealthAsync(context);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, before.Status);
        Assert.Contains("apply the migrations", before.Description, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task ConcurrentNodesStartingTogetherMigrateOnce()
    {
        var options = NewOptions();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var nodes = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await new PostgresMigrator(_dataSource, options).MigrateAsync();
        })).ToList();
        start.SetResult();
        var applied = await Task.WhenAll(nodes);

        Assert.Equal(PostgresMigrator.All.Count, applied.Sum());
        Assert.Single(applied, a => a > 0);
        Assert.Equal(PostgresMigrator.LatestVersion, await new PostgresMigrator(_dataSource, options).GetVersionAsync());
    }

    [Fact]
    public async Task ANewerSchemaVersionFailsTheStartUpClearly()
    {
        var options = NewOptions();
        await new PostgresMigrator(_dataSource, options).MigrateAsync();
        await using (var connection = await _dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO \"{options.Schema}\".schema_migrations (version, name) VALUES (@v, 'from_the_future')", new { v = PostgresMigrator.LatestVersion + 1 });
        }

        var direct = await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgresMigrator(_dataSource, options).MigrateAsync());
        Assert.Contains("newer than this RemateLive.Postgres knows", direct.Message, StringComparison.Ordinal);

        using var host = BuildHost(options.Schema, applyMigrations: true);
        var startUp = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains($"version {PostgresMigrator.LatestVersion + 1}", startUp.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStartUpAppliesMigrationsOnlyWhenEnabled()
    {
        var off = NewOptions();
        using (var host = BuildHost(off.Schema, applyMigrations: false))
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.Equal(0, await new PostgresMigrator(_dataSource, off).GetVersionAsync());

        var on = NewOptions();
        using (var host = BuildHost(on.Schema, applyMigrations: true))
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.Equal(PostgresMigrator.LatestVersion, await new PostgresMigrator(_dataSource, on).GetVersionAsync());
    }

    [Fact]
    public async Task TheOneArgumentOverloadUsesTheDefaultPoolAndLeavesMigrationsOff()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemateLiveCore().UsePostgres(TestDatabase.ConnectionString);
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
        var dataSource = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStoreOptions.DataSourceKey);
        var pool = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        Assert.False(options.ApplyMigrations); // only .ApplyMigrationsOnStartup() turns them on
        Assert.Equal("remate", options.Schema);
        Assert.Equal(PostgresStoreOptions.DefaultMinPoolSize, pool.MinPoolSize);
        Assert.Equal(PostgresStoreOptions.DefaultMaxPoolSize, pool.MaxPoolSize);
        Assert.IsType<PostgresAuctionStore>(provider.GetRequiredService<RemateLive.Ports.IAuctionStore>());
    }

    [Fact]
    public async Task AQuotedMixedCaseSchemaWorks()
    {
        var options = NewOptions("Mixed_" + Guid.NewGuid().ToString("N")[..8]);
        await new PostgresMigrator(_dataSource, options).MigrateAsync();
        var store = PostgresAuctionStore.Create(_dataSource, options);
        var auction = RemateLive.Testing.ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        await store.CreateAuctionAsync(auction);

        Assert.Equal(auction.Id, (await store.GetAuctionAsync(auction.Id))!.Id);
    }

    [Fact]
    public void InvalidSchemaNamesAreRefusedAtStartUp()
    {
        using var host = BuildHost("bad\"; DROP TABLE x; --", applyMigrations: false);
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<PostgresStoreOptions>>().Value);
        Assert.Contains("Schema", error.Message, StringComparison.Ordinal);
    }

    private PostgresStoreOptions NewOptions(string? schema = null)
    {
        var options = new PostgresStoreOptions { Schema = schema ?? TestDatabase.NewSchemaName() };
        _schemas.Add(options.Schema);
        return options;
    }

    private static IHost BuildHost(string schema, bool applyMigrations)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRemateLiveCore().UsePostgres(TestDatabase.ConnectionString, o =>
        {
            o.Schema = schema;
            o.ApplyMigrations = applyMigrations;
            o.MinPoolSize = 0;
        });
        return builder.Build();
    }
}
