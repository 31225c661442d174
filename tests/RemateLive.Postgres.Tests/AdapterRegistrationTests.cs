using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using RemateLive.Ports;
using RemateLive.Postgres.Migrations;

namespace RemateLive.Postgres.Tests;

/// <summary>
/// Issue #13 item 3 on a real PostgreSQL: the host's own (keyed) data source, a configuration section,
/// migrations only through <c>ApplyMigrationsOnStartup()</c>, the DBA script, and the health-check switch.
/// </summary>
public sealed class AdapterRegistrationTests : IAsyncLifetime
{
    private readonly List<string> _schemas = [];
    private NpgsqlDataSource _admin = null!;

    public async Task InitializeAsync() => _admin = await TestDatabase.OpenAsync(maxPoolSize: 5);

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await TestDatabase.DropSchemaAsync(_admin, schema);
        }

        await _admin.DisposeAsync();
    }

    [Fact]
    public async Task The_hosts_keyed_data_source_is_used_and_migrations_run_only_when_asked()
    {
        var schema = NewSchema();
        await using var hostDataSource = NpgsqlDataSource.Create(TestDatabase.ConnectionString);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddKeyedSingleton("orders", hostDataSource);
        builder.Services.AddRemateLiveCore()
            .UsePostgresDataSourceFromServices("orders", o => o.Schema = schema)
            .ApplyMigrationsOnStartup();
        using var host = builder.Build();

        Assert.Same(hostDataSource, host.Services.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStoreOptions.DataSourceKey));
        await host.StartAsync();
        Assert.Equal(PostgresMigrations.LatestVersion, await new PostgresMigrator(_admin, new PostgresStoreOptions { Schema = schema }).GetVersionAsync());
        var auction = RemateLive.Testing.ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        var store = host.Services.GetRequiredService<IAuctionStore>();
        await store.CreateAuctionAsync(auction);
        Assert.Equal(auction.Id, (await store.GetAuctionAsync(auction.Id))!.Id);
        await host.StopAsync();

        // Without the call nothing touches the schema.
        var untouched = NewSchema();
        var plain = Host.CreateApplicationBuilder();
        plain.Services.AddSingleton(hostDataSource);
        plain.Services.AddRemateLiveCore().UsePostgresDataSourceFromServices(configure: o => o.Schema = untouched);
        using var plainHost = plain.Build();
        await plainHost.StartAsync();
        await plainHost.StopAsync();
        Assert.Equal(0, await new PostgresMigrator(_admin, new PostgresStoreOptions { Schema = untouched }).GetVersionAsync());
    }

    [Fact]
    public void A_configuration_section_gives_the_connection_string_and_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RemateLive:Postgres:ConnectionString"] = TestDatabase.ConnectionString,
            ["RemateLive:Postgres:Schema"] = "from_config",
            ["RemateLive:Postgres:MaxPoolSize"] = "7",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemateLiveCore().UsePostgres(configuration.GetSection("RemateLive:Postgres"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
        Assert.Equal("from_config", options.Schema);
        Assert.False(options.ApplyMigrations);
        var pool = new NpgsqlConnectionStringBuilder(provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStoreOptions.DataSourceKey).ConnectionString);
        Assert.Equal(7, pool.MaxPoolSize);

        var missing = new ConfigurationBuilder().Build().GetSection("RemateLive:Postgres");
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddRemateLiveCore().UsePostgres(missing));
        Assert.Contains("RemateLive:Postgres:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyMigrationsOnStartup_without_UsePostgres_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddRemateLiveCore().ApplyMigrationsOnStartup());
        Assert.Contains("UsePostgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_DBA_script_builds_the_same_schema_the_migrator_would()
    {
        var schema = NewSchema();
        var script = PostgresMigrations.Script(schema);
        Assert.DoesNotContain("{schema}", script, StringComparison.Ordinal);

        await using (var connection = await _admin.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(script);
        }

        var migrator = new PostgresMigrator(_admin, new PostgresStoreOptions { Schema = schema });
        Assert.Equal(PostgresMigrations.LatestVersion, await migrator.GetVersionAsync());
        Assert.Equal(0, await migrator.MigrateAsync()); // nothing left to apply
        Assert.Throws<ArgumentException>(() => PostgresMigrations.Script("bad\"; DROP"));
    }

    [Fact]
    public async Task AddHealthCheck_false_leaves_the_postgres_checks_out()
    {
        foreach (var on in new[] { true, false })
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddRemateLiveCore().UsePostgres(TestDatabase.ConnectionString, o => o.AddHealthCheck = on);
            await using var provider = services.BuildServiceProvider();
            var names = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();
            Assert.Equal(on, names.Contains("postgres"));
            Assert.Equal(on, names.Contains(PostgresRemateLiveBuilderExtensions.SchemaHealthCheckName));
        }
    }

    private string NewSchema()
    {
        var schema = TestDatabase.NewSchemaName();
        _schemas.Add(schema);
        return schema;
    }
}
